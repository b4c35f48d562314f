package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import io.javalin.http.Context;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injected server faults: the next N client requests answer 500, as an endpoint does when it breaks
 * (ERR-008). Armed through {@code POST /__admin/faults?count=N}, so a client's error handling can be tested.
 */
final class Faults {

    private final AtomicInteger remaining = new AtomicInteger();

    void arm(int count) {
        remaining.set(Math.max(0, count));
    }

    int remaining() {
        return remaining.get();
    }

    void maybeFail(Context ctx, Settings settings) {
        if (remaining.get() > 0 && remaining.getAndDecrement() > 0) {
            if (settings.has(Defect.INJECTED_FAULT_AS_TEXT)) {
                ctx.status(500).contentType("text/plain").result(
                        "java.lang.IllegalStateException: injected fault\n\tat dev.runpodkit.mock.http.Faults.maybeFail(Faults.java:1)\n");
                throw new ClientApi.ResponseAlreadyWritten();
            }
            throw new ApiError(500, "Internal server error (a fault injected through /__admin/faults).");
        }
    }
}
