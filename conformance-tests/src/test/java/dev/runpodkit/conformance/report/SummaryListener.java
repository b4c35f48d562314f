package dev.runpodkit.conformance.report;

import dev.runpodkit.conformance.support.Catalogue;
import dev.runpodkit.conformance.target.TargetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the one-page summary at the end of a run: requirement → outcome, with counts, as
 * reports/summary.json and reports/summary.md, and prints the Markdown. A requirement's outcome is the worst
 * of its checks' (FAIL, then WARN, PASS, SKIP). Outcomes that name no requirement (the real-client runs, such as
 * the JS SDK's) are listed apart, under "Real clients", and counted in neither table.
 */
public final class SummaryListener implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        boolean selftest = testPlan.getConfigurationParameters().getBoolean(TargetConfig.SELFTEST).orElse(false);
        List<Outcomes.CheckResult> results = Outcomes.all();
        if (selftest || (results.isEmpty() && Outcomes.setUpFailure().isEmpty())) {
            return;
        }
        Path dir = Paths.get(System.getProperty("runpod.reportsDir", "target/conformance-reports"));
        try {
            Files.createDirectories(dir);
            Summary summary = Summary.of(results, Catalogue.load());
            Files.writeString(dir.resolve("summary.json"), summary.json());
            String md = summary.markdown();
            Files.writeString(dir.resolve("summary.md"), md);
            System.out.println();
            System.out.println(summary.consoleText(dir));
        } catch (IOException e) {
            System.err.println("could not write the conformance summary: " + e.getMessage());
        }
    }

    /** The summary, computed once and rendered three ways. */
    record Summary(String target, String setUpFailure, Map<Outcomes.Outcome, Integer> checkCounts,
                   Map<String, Integer> requirementCounts, List<Row> rows, List<Outcomes.CheckResult> checks,
                   List<Outcomes.CheckResult> clients) {

        record Row(Catalogue.Entry entry, String outcome, List<String> checks, String note) { }

        static Summary of(List<Outcomes.CheckResult> all, Catalogue catalogue) {
            return of(all, catalogue, Outcomes.target(), Outcomes.setUpFailure());
        }

        static Summary of(List<Outcomes.CheckResult> all, Catalogue catalogue, String target, String setUpFailure) {
            List<Outcomes.CheckResult> results = all.stream().filter(r -> !r.requirements().isEmpty()).toList();
            List<Outcomes.CheckResult> clients = all.stream().filter(r -> r.requirements().isEmpty()).toList();
            Map<Outcomes.Outcome, Integer> checkCounts = new EnumMap<>(Outcomes.Outcome.class);
            for (Outcomes.Outcome o : Outcomes.Outcome.values()) {
                checkCounts.put(o, 0);
            }
            results.forEach(r -> checkCounts.merge(r.outcome(), 1, Integer::sum));
            Map<String, Integer> reqCounts = new LinkedHashMap<>();
            for (String k : List.of("PASS", "FAIL", "WARN", "SKIP", "NOT COVERED")) {
                reqCounts.put(k, 0);
            }
            List<Row> rows = new ArrayList<>();
            for (Catalogue.Entry e : catalogue.entries().values()) {
                List<Outcomes.CheckResult> mine = results.stream().filter(r -> r.requirements().contains(e.id())).toList();
                String outcome;
                String note = "";
                if (mine.isEmpty()) {
                    outcome = "NOT COVERED";
                    note = e.coverage().equals("checked") ? "no check ran"
                            : e.coverage() + (e.issue() > 0 ? " (#" + e.issue() + ")" : "") + ": "
                            + e.reason().replaceFirst("^(planned|untestable):\\s*", "");
                } else {
                    outcome = worst(mine).name();
                    note = mine.stream().filter(r -> r.outcome() != Outcomes.Outcome.PASS)
                            .map(r -> r.check() + ": " + firstLine(r.message())).findFirst().orElse("");
                }
                reqCounts.merge(outcome, 1, Integer::sum);
                rows.add(new Row(e, outcome, mine.stream().map(Outcomes.CheckResult::check).distinct().toList(), note));
            }
            return new Summary(target, setUpFailure, checkCounts, reqCounts, rows, results, clients);
        }

        private static Outcomes.Outcome worst(List<Outcomes.CheckResult> results) {
            for (Outcomes.Outcome o : List.of(Outcomes.Outcome.FAIL, Outcomes.Outcome.WARN, Outcomes.Outcome.PASS)) {
                if (results.stream().anyMatch(r -> r.outcome() == o)) {
                    return o;
                }
            }
            return Outcomes.Outcome.SKIP;
        }

        String json() {
            JsonMapper mapper = JsonMapper.builder().build();
            ObjectNode root = mapper.createObjectNode();
            root.put("target", target);
            if (!setUpFailure.isEmpty()) {
                root.put("setUpFailure", setUpFailure);
            }
            root.put("finishedAt", Instant.now().toString());
            ObjectNode cc = root.putObject("checks");
            checkCounts.forEach((k, v) -> cc.put(k.name().toLowerCase(), v));
            ObjectNode rc = root.putObject("requirements");
            requirementCounts.forEach((k, v) -> rc.put(k.toLowerCase().replace(' ', '_'), v));
            ArrayNode reqs = root.putArray("byRequirement");
            for (Row row : rows) {
                ObjectNode o = reqs.addObject();
                o.put("id", row.entry().id());
                o.put("level", row.entry().level().name());
                o.put("outcome", row.outcome());
                o.put("statement", row.entry().statement());
                ArrayNode cs = o.putArray("checks");
                row.checks().forEach(cs::add);
                if (!row.note().isEmpty()) {
                    o.put("note", row.note());
                }
            }
            ArrayNode cs = root.putArray("byCheck");
            for (Outcomes.CheckResult r : checks) {
                ObjectNode o = cs.addObject();
                o.put("check", r.check());
                o.put("name", r.displayName());
                o.put("level", r.level());
                o.put("outcome", r.outcome().name());
                ArrayNode ids = o.putArray("requirements");
                r.requirements().forEach(ids::add);
                if (!r.message().isEmpty()) {
                    o.put("message", firstLine(r.message()));
                }
            }
            ArrayNode rc2 = root.putArray("realClients");
            for (Outcomes.CheckResult r : clients) {
                ObjectNode o = rc2.addObject();
                o.put("test", r.check());
                o.put("name", r.displayName());
                o.put("outcome", r.outcome().name());
                if (!r.message().isEmpty()) {
                    o.put("message", firstLine(r.message()));
                }
            }
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        }

        String markdown() {
            StringBuilder sb = new StringBuilder();
            sb.append("# Conformance summary\n\n");
            sb.append("Target: ").append(target).append("  \n");
            if (!setUpFailure.isEmpty()) {
                sb.append("\n**The run failed before any check: the target could not be set up.** ").append(cell(setUpFailure))
                        .append(" The checks below did not run.\n\n");
            }
            sb.append("Finished: ").append(Instant.now()).append("\n\n");
            sb.append("| checks | pass | fail | warn | skip |\n|---|---|---|---|---|\n");
            sb.append("| ").append(checks.size());
            for (Outcomes.Outcome o : List.of(Outcomes.Outcome.PASS, Outcomes.Outcome.FAIL, Outcomes.Outcome.WARN, Outcomes.Outcome.SKIP)) {
                sb.append(" | ").append(checkCounts.get(o));
            }
            sb.append(" |\n\n");
            sb.append("| requirements | pass | fail | warn | skip | not covered |\n|---|---|---|---|---|---|\n");
            sb.append("| ").append(rows.size());
            requirementCounts.values().forEach(v -> sb.append(" | ").append(v));
            sb.append(" |\n\n");
            sb.append("| ID | level | outcome | checks | note |\n|---|---|---|---|---|\n");
            for (Row row : rows) {
                sb.append("| ").append(row.entry().id()).append(" | ").append(row.entry().level()).append(" | ")
                        .append(row.outcome()).append(" | ").append(String.join("<br>", row.checks())).append(" | ")
                        .append(cell(row.note())).append(" |\n");
            }
            if (!clients.isEmpty()) {
                sb.append("\n## Real clients\n\nUnmodified RunPod clients run against the target (no requirement of their own; not in the counts above).\n\n");
                sb.append("| test | outcome | note |\n|---|---|---|\n");
                for (Outcomes.CheckResult r : clients) {
                    sb.append("| ").append(cell(r.check() + ": " + r.displayName())).append(" | ").append(r.outcome().name()).append(" | ")
                            .append(r.outcome() == Outcomes.Outcome.PASS ? "" : cell(r.message())).append(" |\n");
                }
            }
            return sb.toString();
        }

        String consoleText(Path dir) {
            StringBuilder sb = new StringBuilder();
            sb.append("==== RunPod conformance summary ====\n");
            sb.append("target: ").append(target).append('\n');
            if (!setUpFailure.isEmpty()) {
                sb.append("SET-UP FAILED, no check ran: ").append(firstLine(setUpFailure)).append('\n');
            }
            sb.append("checks: ").append(checks.size()).append(" — ").append(checkCounts.get(Outcomes.Outcome.PASS)).append(" pass, ")
                    .append(checkCounts.get(Outcomes.Outcome.FAIL)).append(" fail, ").append(checkCounts.get(Outcomes.Outcome.WARN))
                    .append(" warn, ").append(checkCounts.get(Outcomes.Outcome.SKIP)).append(" skip\n");
            sb.append("requirements: ").append(rows.size()).append(" — ");
            requirementCounts.forEach((k, v) -> sb.append(v).append(' ').append(k.toLowerCase()).append(", "));
            sb.setLength(sb.length() - 2);
            sb.append('\n');
            for (Row row : rows) {
                if (row.outcome().equals("FAIL") || row.outcome().equals("WARN")) {
                    sb.append("  ").append(row.outcome()).append(' ').append(row.entry().id()).append(" (")
                            .append(row.entry().level()).append("): ").append(row.note()).append('\n');
                }
            }
            for (Outcomes.CheckResult r : clients) {
                sb.append("real client: ").append(r.displayName()).append(": ").append(r.outcome().name())
                        .append(r.outcome() == Outcomes.Outcome.PASS ? "" : " (" + firstLine(r.message()) + ")").append('\n');
            }
            sb.append("written: ").append(dir.resolve("summary.md")).append(", ").append(dir.resolve("summary.json"));
            return sb.toString();
        }

        private static String firstLine(String s) {
            if (s == null) {
                return "";
            }
            int nl = s.indexOf('\n');
            String line = nl < 0 ? s : s.substring(0, nl);
            return line.length() > 300 ? line.substring(0, 300) + "..." : line;
        }

        private static String cell(String s) {
            return firstLine(s).replace("|", "\\|");
        }
    }
}
