package dev.runpodkit.conformance.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a check costs on a paid endpoint. The target's tier ({@code runpod.tier}) runs the checks at or below
 * it: {@code none} only checks that start no job; {@code cheap} adds short jobs; {@code full} adds long
 * jobs (5 s and more of execution) and load (rate limits). Unannotated checks count as {@code CHEAP}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Spend {
    Tier value();

    enum Tier { NONE, CHEAP, FULL }
}
