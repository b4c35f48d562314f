package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** runpod.readings: which decisions a target reads otherwise, and which checks that turns into skips. */
class OtherReadingsTest {

    private final Catalogue catalogue = Catalogue.load();

    /** A requirement that rests on a decision, and the decision. */
    private Catalogue.Entry requirementWithADecision() {
        return catalogue.entries().values().stream().filter(e -> !e.decision().isBlank()).findFirst().orElseThrow();
    }

    @Test
    void decisionIdsAreReadCaseInsensitivelyAndBlanksAreIgnored() {
        String id = requirementWithADecision().decision();
        assertEquals(Set.of(id), OtherReadings.parse(" " + id.toLowerCase(java.util.Locale.ROOT) + " ,, ", catalogue).declared());
    }

    @Test
    void anIdTheCatalogueHasNoDecisionForIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OtherReadings.parse("DEC-006, DEC-9999", catalogue));
        assertTrue(e.getMessage().contains("DEC-9999") && e.getMessage().contains("runpod.readings"), e.getMessage());
    }

    @Test
    void onlyChecksOnARequirementOfADeclaredDecisionAreSkipped() {
        Catalogue.Entry entry = requirementWithADecision();
        OtherReadings readings = OtherReadings.parse(entry.decision(), catalogue);
        String reason = readings.reasonToSkip(List.of(entry.id()), catalogue).orElseThrow();
        assertTrue(reason.contains(entry.decision()) && reason.contains(entry.id()), reason);

        Catalogue.Entry other = catalogue.entries().values().stream()
                .filter(e -> !e.decision().equals(entry.decision())).findFirst().orElseThrow();
        assertTrue(readings.reasonToSkip(List.of(other.id()), catalogue).isEmpty(), other.id() + " rests on another decision");
        assertTrue(OtherReadings.none().reasonToSkip(List.of(entry.id()), catalogue).isEmpty(), "nothing declared, nothing skipped");
    }
}
