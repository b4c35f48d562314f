package dev.runpodkit.conformance.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The requirement catalogue, spec/requirements.yaml: what each ID says, its level and its coverage. */
public final class Catalogue {

    public enum Level { MUST, SHOULD, MAY }

    public record Entry(String id, Level level, String area, String statement, String source, List<String> schemas,
                        String coverage, int issue, String reason, String decision) { }

    /** {@code governs}: the response schemas whose shape the decision settles (another reading answers another shape). */
    public record Decision(String id, String question, String decision, String why, String setting, String sources,
                           List<String> governs) { }

    private static volatile Catalogue instance;

    private final Path file;
    private final Map<String, Entry> entries;
    private final List<Decision> decisions;

    private Catalogue(Path file, Map<String, Entry> entries, List<Decision> decisions) {
        this.file = file;
        this.entries = entries;
        this.decisions = decisions;
    }

    public static Catalogue load() {
        Catalogue c = instance;
        if (c == null) {
            synchronized (Catalogue.class) {
                if (instance == null) {
                    instance = read(locate());
                }
                c = instance;
            }
        }
        return c;
    }

    /** runpod.spec (set by the build), else spec/requirements.yaml found upward from the working directory. */
    public static Path locate() {
        String configured = System.getProperty("runpod.spec");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("spec").resolve("requirements.yaml");
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("spec/requirements.yaml not found; set -Drunpod.spec=PATH");
    }

    /** The fields every requirement must have (spec/README.md, "Requirement fields"). */
    static final List<String> REQUIRED_FIELDS =
            List.of("id", "level", "area", "statement", "source", "schemas", "coverage", "issue", "reason");

    static Catalogue read(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonNode r : root.path("requirements")) {
            List<String> schemas = new ArrayList<>();
            r.path("schemas").forEach(s -> schemas.add(s.asString()));
            String id = r.path("id").asString();
            List<String> missing = REQUIRED_FIELDS.stream().filter(f -> !r.has(f)).toList();
            if (!missing.isEmpty()) {
                // spec/README.md's field table: its own check script stops on a missing one, so the build does too
                throw new IllegalStateException("requirement " + id + " in " + file + " lacks the required field(s) " + missing);
            }
            if (entries.containsKey(id)) {
                throw new IllegalStateException("duplicate requirement id " + id + " in " + file);
            }
            entries.put(id, new Entry(id, Level.valueOf(r.path("level").asString("MUST").trim()),
                    r.path("area").asString(""), r.path("statement").asString(""), r.path("source").asString(""),
                    List.copyOf(schemas), r.path("coverage").asString("checked"), r.path("issue").asInt(0),
                    r.path("reason").asString(""), r.path("decision").asString("")));
        }
        List<Decision> decisions = new ArrayList<>();
        java.util.Set<String> decisionIds = new java.util.HashSet<>();
        for (JsonNode d : root.path("decisions")) {
            if (!decisionIds.add(d.path("id").asString())) {
                // two branches each adding the next free number meet here: links and readings would name either
                throw new IllegalStateException("duplicate decision id " + d.path("id").asString() + " in " + file);
            }
            List<String> governs = new ArrayList<>();
            d.path("governs").forEach(g -> governs.add(g.asString()));
            decisions.add(new Decision(d.path("id").asString(), d.path("question").asString(""),
                    d.path("decision").asString(""), d.path("why").asString(""), d.path("setting").asString(""),
                    d.path("sources").asString(""), List.copyOf(governs)));
        }
        return new Catalogue(file, entries, List.copyOf(decisions));
    }

    public Path file() {
        return file;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public List<Decision> decisions() {
        return decisions;
    }

    public Optional<Entry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** The strictest level among the IDs; MUST when an ID is unknown (the coverage test reports unknown IDs). */
    public Level levelOf(String... ids) {
        Level strictest = Level.MAY;
        for (String id : ids) {
            Level l = find(id).map(Entry::level).orElse(Level.MUST);
            if (l.ordinal() < strictest.ordinal()) {
                strictest = l;
            }
        }
        return strictest;
    }
}
