package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Reading the requirement catalogue")
class CatalogueReadTest {

    private static final String ENTRY = """
            requirements:
              - id: RUN-901
                level: MUST
                area: run
                statement: "s"
                source: "x"
                schemas: []
                coverage: checked
                issue: 2
            %s
            decisions: []
            """;

    @Test
    @DisplayName("a requirement without one of the fields spec/README.md requires is refused, naming it")
    void missingFieldRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("requirements.yaml");
        Files.writeString(file, ENTRY.formatted(""));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Catalogue.read(file));
        assertTrue(e.getMessage().contains("RUN-901") && e.getMessage().contains("[reason]"), e.getMessage());
    }

    @Test
    @DisplayName("with every required field the requirement is read")
    void completeEntryRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("requirements.yaml");
        Files.writeString(file, ENTRY.formatted("    reason: \"\""));
        assertEquals("checked", Catalogue.read(file).entries().get("RUN-901").coverage());
    }

    @Test
    @DisplayName("two decisions under one id are refused, naming it (links and readings would point at either)")
    void duplicateDecisionIdRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("requirements.yaml");
        String decision = """
                  - id: DEC-901
                    question: "q"
                    decision: "d"
                """;
        Files.writeString(file, ENTRY.formatted("    reason: \"\"").replace("decisions: []", "decisions:\n" + decision + decision));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Catalogue.read(file));
        assertTrue(e.getMessage().contains("duplicate decision id DEC-901"), e.getMessage());
    }
}
