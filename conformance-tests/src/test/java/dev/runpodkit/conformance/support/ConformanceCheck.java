package dev.runpodkit.conformance.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** Marks a class of conformance checks: each method is a check with {@link Requirement} and {@link CaughtBy}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag("conformance")
@ExtendWith(ConformanceExtension.class)
public @interface ConformanceCheck {
}
