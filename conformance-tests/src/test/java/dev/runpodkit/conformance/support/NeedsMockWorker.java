package dev.runpodkit.conformance.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The check relies on the handler understanding RunPod's mock-worker inputs (mock_return, mock_delay,
 * mock_error...): true of the built-in worker and of the runpod/mock-worker image. Skipped when the target
 * declares its handler opaque ({@code runpod.handler=opaque}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NeedsMockWorker {
}
