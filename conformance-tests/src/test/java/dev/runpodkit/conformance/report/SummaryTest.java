package dev.runpodkit.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.Catalogue;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Conformance summary")
class SummaryTest {

    private final Catalogue catalogue = Catalogue.load();

    @Test
    @DisplayName("a real-client run is listed apart and counted as neither a check nor a requirement")
    void realClientsListedApart() {
        String id = catalogue.entries().keySet().iterator().next();
        List<Outcomes.CheckResult> results = List.of(
                new Outcomes.CheckResult("RunChecks.answersAnId", "answers an id", List.of(id), "MUST", Outcomes.Outcome.PASS, ""),
                new Outcomes.CheckResult("JsSdkCompatibilityIT.everyMethodWorks", "every SDK method works", List.of(), "MUST",
                        Outcomes.Outcome.FAIL, "FAIL stream yields each chunk once\nmore"));
        SummaryListener.Summary summary = SummaryListener.Summary.of(results, catalogue);

        assertEquals(1, summary.checks().size());
        assertEquals(0, summary.checkCounts().get(Outcomes.Outcome.FAIL));
        assertEquals(1, summary.clients().size());
        String md = summary.markdown();
        assertTrue(md.contains("| 1 | 1 | 0 | 0 | 0 |"), md);
        assertTrue(md.contains("## Real clients"), md);
        assertTrue(md.contains("| JsSdkCompatibilityIT.everyMethodWorks: every SDK method works | FAIL | FAIL stream yields each chunk once |"), md);
        assertTrue(summary.json().contains("\"realClients\""), summary.json());
        assertTrue(summary.consoleText(java.nio.file.Path.of("x")).contains("real client: every SDK method works: FAIL"));
    }

    @Test
    @DisplayName("a target that could not be set up is told at the top, and no requirement is counted as failed for it")
    void setUpFailureToldApart() {
        List<Outcomes.CheckResult> skipped = catalogue.entries().keySet().stream().limit(3)
                .map(id -> new Outcomes.CheckResult("AuthChecks." + id, id, List.of(id), "MUST", Outcomes.Outcome.SKIP,
                        "the target could not be set up: the target cannot be reached"))
                .toList();
        SummaryListener.Summary summary = SummaryListener.Summary.of(skipped, catalogue, "not set up: the target cannot be reached",
                "the target cannot be reached: GET http://127.0.0.1:9/v2/ep/health failed (ConnectException)");

        assertEquals(0, summary.checkCounts().get(Outcomes.Outcome.FAIL));
        assertEquals(0, summary.requirementCounts().get("FAIL"));
        String md = summary.markdown();
        assertTrue(md.contains("**The run failed before any check: the target could not be set up.** the target cannot be reached: GET"), md);
        String console = summary.consoleText(java.nio.file.Path.of("x"));
        assertTrue(console.contains("SET-UP FAILED, no check ran: the target cannot be reached"), console);
        assertTrue(summary.json().contains("\"setUpFailure\""), summary.json());

        SummaryListener.Summary fine = SummaryListener.Summary.of(skipped, catalogue, "http://127.0.0.1:8080/v2", "");
        assertFalse(fine.markdown().contains("The run failed before any check"), fine.markdown());
        assertFalse(fine.json().contains("setUpFailure"));
    }

    @Test
    @DisplayName("without a real-client run there is no Real clients section")
    void noClientsNoSection() {
        String id = catalogue.entries().keySet().iterator().next();
        SummaryListener.Summary summary = SummaryListener.Summary.of(List.of(
                new Outcomes.CheckResult("RunChecks.answersAnId", "answers an id", List.of(id), "MUST", Outcomes.Outcome.PASS, "")), catalogue);
        assertFalse(summary.markdown().contains("Real clients"));
        assertTrue(summary.clients().isEmpty());
    }
}
