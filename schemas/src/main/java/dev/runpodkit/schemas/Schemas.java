package dev.runpodkit.schemas;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schemas (draft 2020-12) of every RunPod Serverless message, loaded from the classpath
 * directory {@code schemas/} and validated offline.
 *
 * <pre>{@code
 * List<String> problems = Schemas.load().validate("job-status", body);   // empty = valid
 * Schemas.load().requireValid("run-request", body);                      // or throw
 * }</pre>
 *
 * Immutable once loaded, so one instance serves all threads.
 */
public final class Schemas {

    /** Every schema's {@code $id} is this prefix plus its file name. */
    public static final String ID_PREFIX = "https://schemas.runpodkit.dev/v1/";
    /** The classpath directory the schema files ship in. */
    public static final String CLASSPATH_DIR = "schemas/";
    /** The file-name suffix of a schema; the name is what comes before it. */
    public static final String SUFFIX = ".schema.json";

    // A file that is always present; its URL tells where the schemas/ directory is (a folder or a jar).
    private static final String ANCHOR = CLASSPATH_DIR + "common" + SUFFIX;

    // Strict parsing: trailing content after the document and duplicate keys are malformed JSON.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Map<String, Schema> byName;

    private Schemas(Map<String, Schema> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    private static final class Holder {
        static final Schemas INSTANCE = load(Schemas.class.getClassLoader());
    }

    /** Loads every {@code *.schema.json} under classpath {@code schemas/}, once; no network access. */
    public static Schemas load() {
        return Holder.INSTANCE;
    }

    /** Loads afresh from the {@code schemas/} directory that {@code classLoader} sees. */
    static Schemas load(ClassLoader classLoader) {
        Map<String, String> texts = readAll(classLoader);
        SchemaRegistry registry = registry(texts::get);
        Map<String, Schema> byName = new TreeMap<>();
        for (String path : texts.keySet()) {
            String file = path.substring(CLASSPATH_DIR.length());
            Schema schema = registry.getSchema(SchemaLocation.of(ID_PREFIX + file));
            schema.initializeValidators(); // resolve every $ref now: a broken schema fails here, not mid-run
            byName.put(file.substring(0, file.length() - SUFFIX.length()), schema);
        }
        return new Schemas(byName);
    }

    /**
     * A registry that resolves {@code $id}s under {@link #ID_PREFIX} through {@code classpathText}
     * (classpath path, e.g. {@code schemas/common.schema.json}, to file content or null) and the
     * draft meta-schemas from the validator's bundled copies. It never fetches anything remote:
     * networknt 3.x only reads URLs when told to ({@code fetchRemoteResources}), which is not done here.
     */
    static SchemaRegistry registry(Function<String, String> classpathText) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .locale(Locale.ENGLISH) // messages must not depend on the machine's language
                .build();
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(config)
                .schemas(iri -> {
                    String path = classpathResource(iri);
                    return path == null ? null : classpathText.apply(path);
                }));
    }

    /**
     * The classpath resource an {@code $id} maps to: {@code https://schemas.runpodkit.dev/v1/x.schema.json}
     * becomes {@code schemas/x.schema.json}; anything else maps to nothing (null).
     */
    static String classpathResource(String iri) {
        if (iri == null || !iri.startsWith(ID_PREFIX)) {
            return null;
        }
        String file = iri.substring(ID_PREFIX.length());
        int hash = file.indexOf('#');
        if (hash >= 0) {
            file = file.substring(0, hash);
        }
        return file.isEmpty() || file.contains("/") ? null : CLASSPATH_DIR + file;
    }

    /** Schema names, e.g. {@code run-request}, {@code job-status}: file names without {@code .schema.json}. */
    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * Validates {@code json} against the named schema.
     *
     * @return an empty list if valid; otherwise one "{@code <instance location>: <message>}" per problem,
     *     the location a JSON Pointer ({@code /stream/0/output}; {@code /} is the document itself).
     *     Text that is not JSON yields one message; bad instance data never throws.
     * @throws IllegalArgumentException if no schema has that name
     */
    public List<String> validate(String name, String json) {
        Schema schema = schema(name);
        JsonNode instance;
        try {
            instance = JSON.readTree(json == null ? "" : json);
        } catch (JacksonException e) {
            return List.of("/: malformed JSON: " + e.getOriginalMessage() + where(e));
        }
        if (instance == null || instance.isMissingNode()) {
            return List.of("/: malformed JSON: no content");
        }
        List<String> messages = new ArrayList<>();
        for (Error error : schema.validate(instance)) {
            messages.add(format(error));
        }
        return List.copyOf(messages);
    }

    /** Like {@link #validate}, but throws an {@link IllegalArgumentException} listing every problem. */
    public void requireValid(String name, String json) {
        List<String> problems = validate(name, json);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "not a valid " + name + " (" + problems.size() + " problem(s)):\n  " + String.join("\n  ", problems));
        }
    }

    /** The loaded schema of that name (package-private: tests read raw networknt errors from it). */
    Schema schema(String name) {
        Schema schema = byName.get(name);
        if (schema == null) {
            throw new IllegalArgumentException("no schema named '" + name + "'; known: " + byName.keySet());
        }
        return schema;
    }

    private static String where(JacksonException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 0
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String format(Error error) {
        String location = error.getInstanceLocation().toString();
        return (location.isEmpty() ? "/" : location) + ": " + error.getMessage();
    }

    // ---- reading the schema files: from a directory (tests, IDE) or from a jar (shaded or not) ----

    /** Classpath path ({@code schemas/x.schema.json}) to file content, for every schema file. */
    private static Map<String, String> readAll(ClassLoader classLoader) {
        URL anchor = classLoader.getResource(ANCHOR);
        if (anchor == null) {
            throw new IllegalStateException("classpath resource " + ANCHOR + " not found");
        }
        Map<String, String> texts = new TreeMap<>();
        try {
            for (String file : listFiles(anchor)) {
                try (InputStream in = classLoader.getResourceAsStream(CLASSPATH_DIR + file)) {
                    if (in == null) {
                        throw new IllegalStateException("cannot read " + CLASSPATH_DIR + file);
                    }
                    texts.put(CLASSPATH_DIR + file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schemas from " + anchor, e);
        }
        return texts;
    }

    /** Names of the {@code *.schema.json} files beside the anchor. */
    private static List<String> listFiles(URL anchor) throws IOException {
        List<String> files = new ArrayList<>();
        switch (anchor.getProtocol()) {
            case "file" -> {
                Path dir;
                try {
                    dir = Path.of(anchor.toURI()).getParent();
                } catch (URISyntaxException e) {
                    throw new IOException(e);
                }
                try (Stream<Path> paths = Files.list(dir)) {
                    paths.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX)).forEach(files::add);
                }
            }
            case "jar" -> {
                URLConnection connection = anchor.openConnection();
                connection.setUseCaches(false); // our own JarFile, closed below, not the JVM-wide cached one
                try (JarFile jar = ((JarURLConnection) connection).getJarFile()) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (name.startsWith(CLASSPATH_DIR) && name.endsWith(SUFFIX)
                                && name.indexOf('/', CLASSPATH_DIR.length()) < 0) {
                            files.add(name.substring(CLASSPATH_DIR.length()));
                        }
                    }
                }
            }
            default -> throw new IOException("cannot list schemas/ in a '" + anchor.getProtocol() + "' URL: " + anchor);
        }
        Collections.sort(files);
        return files;
    }
}
