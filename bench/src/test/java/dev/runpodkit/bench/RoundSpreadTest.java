package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The report shows each goal round by round beside its median, so a rerun can be read against the spread. */
class RoundSpreadTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Benchmark.Figures rps(double rps) {
        return new Benchmark.Figures(rps, 0, 0, 0, 0, 0, 0, 0, Double.NaN);
    }

    @Test
    void eachRoundComparesTheServersMeasuredInThatRound() {
        List<Double> ratios = Benchmark.roundRatios(List.of(rps(20_000), rps(30_000), rps(15_000)),
                List.of(rps(25_000), rps(30_000), rps(30_000)));
        assertEquals(List.of(0.8, 1.0, 0.5), ratios);
    }

    @Test
    void anAtLeastGoalCountsTheRoundsAtOrAboveItsBound() {
        ObjectNode goal = goal(0.8, true, 0.70, 0.85, 0.80, 0.79, 0.62);
        assertEquals("; rounds 0.620–0.850, 2 of 5 met it", Benchmark.roundSpread(goal));
    }

    @Test
    void anUnderGoalCountsTheRoundsBelowItsBound() {
        ObjectNode goal = goal(2.0, false, 0.07, 2.0, 1.5);
        assertEquals("; rounds 0.070–2.000, 2 of 3 met it", Benchmark.roundSpread(goal));
    }

    @Test
    void aGoalWithoutRoundsShowsNoSpread() {
        ObjectNode goal = JSON.createObjectNode().put("value", 0.9).put("bound", 0.8).put("atLeast", true);
        assertEquals("", Benchmark.roundSpread(goal));
    }

    private static ObjectNode goal(double bound, boolean atLeast, double... rounds) {
        ObjectNode g = JSON.createObjectNode().put("value", rounds[0]).put("bound", bound).put("atLeast", atLeast);
        for (double r : rounds) {
            g.withArray("byRound").add(r);
        }
        return g;
    }
}
