package dev.runpodkit.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.Catalogue;
import dev.runpodkit.conformance.support.CheckIndex;
import dev.runpodkit.schemas.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps the catalogue and the checks in step: a requirement marked checked must have a check, a check must
 * name real requirements, and spec/requirements.md must be the rendering of both.
 */
@DisplayName("Requirement catalogue ↔ checks")
class CatalogueCoverageTest {

    private final Catalogue catalogue = Catalogue.load();
    private final List<CheckIndex.Check> checks = CheckIndex.all();

    private Map<String, List<String>> checksByRequirement() {
        Map<String, List<String>> by = new TreeMap<>();
        for (CheckIndex.Check c : checks) {
            for (String id : c.requirements()) {
                by.computeIfAbsent(id, k -> new ArrayList<>()).add(c.name());
            }
        }
        return by;
    }

    @Test
    @DisplayName("every requirement marked checked has at least one check")
    void everyCheckedRequirementHasACheck() {
        Map<String, List<String>> by = checksByRequirement();
        List<String> missing = catalogue.entries().values().stream()
                .filter(e -> e.coverage().equals("checked") && !by.containsKey(e.id()))
                .map(e -> e.id() + " (" + e.statement() + ")").toList();
        assertTrue(missing.isEmpty(), "requirements marked 'checked' with no check:\n" + String.join("\n", missing));
    }

    @Test
    @DisplayName("every check has requirement IDs, and each exists and is marked checked")
    void everyCheckNamesKnownRequirements() {
        List<String> problems = new ArrayList<>();
        for (CheckIndex.Check c : checks) {
            if (c.requirements().isEmpty()) {
                problems.add(c.name() + " has no @Requirement");
            }
            for (String id : c.requirements()) {
                catalogue.find(id).ifPresentOrElse(e -> {
                    if (!e.coverage().equals("checked")) {
                        problems.add(c.name() + " checks " + id + ", which the catalogue marks '" + e.coverage() + "'");
                    }
                }, () -> problems.add(c.name() + " names " + id + ", which is not in the catalogue"));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    @DisplayName("requirements not checked say why, and name real schemas")
    void uncheckedRequirementsGiveAReason() {
        Set<String> schemas = Schemas.load().names();
        List<String> problems = new ArrayList<>();
        for (Catalogue.Entry e : catalogue.entries().values()) {
            if (!Set.of("checked", "planned", "untestable").contains(e.coverage())) {
                problems.add(e.id() + ": unknown coverage '" + e.coverage() + "'");
            }
            if (!e.coverage().equals("checked") && e.reason().isBlank()) {
                problems.add(e.id() + " is '" + e.coverage() + "' without a reason");
            }
            for (String s : e.schemas()) {
                if (!schemas.contains(s)) {
                    problems.add(e.id() + " names schema '" + s + "', which does not exist");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    @DisplayName("spec/requirements.md is up to date (regenerate with -Dspec.render=true)")
    void renderedTableIsUpToDate() throws IOException {
        String rendered = SpecRenderer.render(catalogue, checksByRequirement());
        Path md = catalogue.file().resolveSibling("requirements.md");
        if (Boolean.getBoolean("spec.render")) {
            Files.writeString(md, rendered);
        }
        String committed = Files.exists(md) ? Files.readString(md) : "";
        assertEquals(rendered, committed, "spec/requirements.md is stale: run "
                + "`mvn -pl conformance-tests -am test -Dspec.render=true` and commit the result");
    }
}
