package dev.runpodkit.conformance.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The check looks inside the target through the mock's admin API (e.g. the job as its worker received it).
 * Skipped against targets without it, such as a real RunPod endpoint.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NeedsAdmin {
}
