package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A URL that is this project's mock runs on the time scale its GET /__admin/clock reports. */
class AdminClockScaleTest {

    @Test
    void theScaleIsReadFromTheClockView() {
        assertEquals(50.0, ConformanceExtension.clockScale(
                "{\"now\":1796669977146,\"scale\":50.0,\"frozen\":false,\"pendingTimers\":0,\"timersScheduled\":0}"));
        assertEquals(1.0, ConformanceExtension.clockScale("{\"now\": 1, \"scale\": 1, \"frozen\": true}"));
        assertEquals(0.5, ConformanceExtension.clockScale("{\"scale\" : 5e-1}"));
    }

    @Test
    void aClockViewWithoutAUsableScaleFailsTheSetup() {
        for (String bad : new String[] {"{\"now\": 1}", "{\"scale\": 0}", "{\"scale\": 1.2.3}", "{\"scale\": -2}", "{\"scale\": \"50\"}", "not json"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConformanceExtension.clockScale(bad), bad);
            assertEquals(true, e.getMessage().contains("time scale"), e.getMessage());
        }
    }
}
