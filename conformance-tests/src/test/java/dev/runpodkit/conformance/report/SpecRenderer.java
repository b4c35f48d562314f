package dev.runpodkit.conformance.report;

import dev.runpodkit.conformance.support.Catalogue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders spec/requirements.yaml, plus the checks that cover each requirement, as a Markdown table. */
final class SpecRenderer {

    private SpecRenderer() {
    }

    static String render(Catalogue catalogue, Map<String, List<String>> checksByRequirement) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!-- Generated from spec/requirements.yaml and the checks' @Requirement annotations by\n")
          .append("     `mvn -pl conformance-tests -am test -Dspec.render=true`. Do not edit by hand. -->\n");
        sb.append("# Requirement catalogue\n\n");
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Catalogue.Entry e : catalogue.entries().values()) {
            int[] c = counts.computeIfAbsent(e.coverage(), k -> new int[1]);
            c[0]++;
        }
        sb.append(catalogue.entries().size()).append(" requirements");
        counts.forEach((k, v) -> sb.append(", ").append(v[0]).append(' ').append(k));
        sb.append(". Levels: MUST fails the build when broken; SHOULD and MAY are reported as warnings.\n\n");
        String area = null;
        for (Catalogue.Entry e : catalogue.entries().values()) {
            if (!e.area().equals(area)) {
                area = e.area();
                sb.append("\n## ").append(area).append("\n\n");
                sb.append("| ID | level | statement | source | schemas | coverage | checks |\n");
                sb.append("|---|---|---|---|---|---|---|\n");
            }
            List<String> checks = checksByRequirement.getOrDefault(e.id(), List.of());
            String coverage = e.coverage() + (e.issue() > 0 ? " (#" + e.issue() + ")" : "")
                    + (e.coverage().equals("checked") ? "" : ": " + e.reason().replaceFirst("^(planned|untestable):\\s*", ""));
            sb.append("| ").append(e.id())
              .append(" | ").append(e.level())
              .append(" | ").append(cell(e.statement()) + (e.decision().isEmpty() ? "" : " (" + e.decision() + ")"))
              .append(" | ").append(cell(e.source()))
              .append(" | ").append(String.join(", ", e.schemas()))
              .append(" | ").append(cell(coverage))
              .append(" | ").append(checks.isEmpty() ? "" : "`" + String.join("`<br>`", checks) + "`")
              .append(" |\n");
        }
        sb.append("\n## Decisions\n\nWhere the sources disagree or are silent, the newest documented behaviour is the default and the other reading is a setting.\n\n");
        sb.append("| ID | question | decision | why | setting | sources |\n|---|---|---|---|---|---|\n");
        for (Catalogue.Decision d : catalogue.decisions()) {
            sb.append("| ").append(d.id()).append(" | ").append(cell(d.question())).append(" | ").append(cell(d.decision()))
              .append(" | ").append(cell(d.why())).append(" | ").append(cell(d.setting())).append(" | ")
              .append(cell(d.sources())).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("\r", "").replace("\n", " ").replace("|", "\\|").trim();
    }
}
