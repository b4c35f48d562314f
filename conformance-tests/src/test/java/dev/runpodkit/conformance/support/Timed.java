package dev.runpodkit.conformance.support;

import dev.runpodkit.conformance.target.Target;
import java.util.function.Supplier;

/**
 * A request and how long it took, in target time: the wall time it took times the target's time scale. Against
 * the accelerated mock 50 ms of wall time are 1 s of target time; against a real endpoint the two are the same.
 * Good for lower bounds (a hold cannot end before its timer) and for coarse upper bounds.
 */
public record Timed<T>(T value, long targetMs) {

    public static <T> Timed<T> measure(Target target, Supplier<T> request) {
        long start = System.nanoTime();
        T value = request.get();
        long wallMs = (System.nanoTime() - start) / 1_000_000L;
        return new Timed<>(value, Math.round(wallMs * target.timeScale()));
    }
}
