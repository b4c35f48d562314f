package dev.runpodkit.conformance.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The mock's deliberate defects ({@code --defect NAME}) this check must catch. The self-test runs the check
 * against each of them and fails the build if the check passes there: a check never seen failing proves nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CaughtBy {
    String[] value();
}
