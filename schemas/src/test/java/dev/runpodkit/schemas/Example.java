package dev.runpodkit.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The golden examples on the test classpath: {@code examples/<valid|invalid>/<schema name>/<file>.json}. */
record Example(String kind, String schema, String file, String text) {

    static final String VALID = "valid";
    static final String INVALID = "invalid";

    /** e.g. {@code invalid/job-status/s3config-leaked.json}. */
    String id() {
        return kind + "/" + schema + "/" + file;
    }

    static Path root() {
        URL url = Example.class.getClassLoader().getResource("examples");
        if (url == null) {
            throw new IllegalStateException("examples/ is not on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every example, sorted by id. */
    static List<Example> all() {
        List<Example> all = new ArrayList<>();
        for (String kind : List.of(VALID, INVALID)) {
            for (Path dir : list(root().resolve(kind))) {
                for (Path file : list(dir)) {
                    all.add(new Example(kind, dir.getFileName().toString(), file.getFileName().toString(), read(file)));
                }
            }
        }
        return all;
    }

    /** Schema-name directories under {@code examples/<kind>/}. */
    static List<String> schemaDirs(String kind) {
        return list(root().resolve(kind)).stream().map(p -> p.getFileName().toString()).toList();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
