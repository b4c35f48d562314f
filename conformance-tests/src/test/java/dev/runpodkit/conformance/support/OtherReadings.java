package dev.runpodkit.conformance.support;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decisions (DEC-*) for which the target follows another reading than the catalogue's, as declared with
 * {@code runpod.readings}. Where the sources disagree the catalogue settles on one reading and the checks expect it;
 * a server built on another documented reading (the mock itself with a reading setting, or a re-implementation)
 * declares it, and the checks that expect the catalogue's reading are skipped with that reason instead of failing.
 * Nothing is skipped unless declared: an undeclared difference fails as before.
 */
public final class OtherReadings {

    private final Set<String> declared;

    private OtherReadings(Set<String> declared) {
        this.declared = declared;
    }

    public static OtherReadings none() {
        return new OtherReadings(Set.of());
    }

    /**
     * Reads a comma-separated list of decision ids ("DEC-006, DEC-011"). An id the catalogue has no decision for is
     * refused: a typo must not pass unnoticed as "nothing to skip".
     */
    public static OtherReadings parse(String list, Catalogue catalogue) {
        Set<String> known = catalogue.decisions().stream().map(Catalogue.Decision::id).collect(Collectors.toSet());
        Set<String> ids = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String part : list.split(",")) {
            String id = part.trim().toUpperCase(java.util.Locale.ROOT);
            if (id.isEmpty()) {
                continue;
            }
            if (known.contains(id)) {
                ids.add(id);
            } else {
                unknown.add(part.trim());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("runpod.readings names " + unknown + ", which the catalogue has no decision for;"
                    + " give decision ids such as DEC-006 (see spec/requirements.md#decisions)");
        }
        return new OtherReadings(Set.copyOf(ids));
    }

    public Set<String> declared() {
        return declared;
    }

    public boolean isEmpty() {
        return declared.isEmpty();
    }

    /**
     * Why a check on these requirements is not run against this target, if one of them rests on a decision the
     * target declares it reads otherwise.
     */
    public Optional<String> reasonToSkip(List<String> requirementIds, Catalogue catalogue) {
        for (String id : requirementIds) {
            Optional<String> decision = catalogue.find(id).map(Catalogue.Entry::decision).filter(declared::contains);
            if (decision.isPresent()) {
                String question = catalogue.decisions().stream().filter(d -> d.id().equals(decision.get()))
                        .map(Catalogue.Decision::question).findFirst().orElse("");
                return Optional.of("the target declares another reading of " + decision.get() + " (" + question
                        + "); " + id + " expects the catalogue's decision (runpod.readings)");
            }
        }
        return Optional.empty();
    }

    /**
     * The declared decision that settles the shape of this response schema ({@code governs} in the catalogue), if
     * any: an answer that breaks such a schema may simply follow the declared reading.
     */
    public Optional<Catalogue.Decision> governing(String schema, Catalogue catalogue) {
        return catalogue.decisions().stream()
                .filter(d -> declared.contains(d.id()) && d.governs().contains(schema)).findFirst();
    }

    /** For the run's description: ", other readings declared: DEC-006, DEC-011", or "" when none. */
    public String describe() {
        return declared.isEmpty() ? "" : ", other readings declared: " + String.join(", ", declared.stream().sorted().toList());
    }
}
