package dev.runpodkit.conformance.support;

import dev.runpodkit.conformance.target.TargetConfig;
import java.util.Optional;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Takes an API key given as {@code -Drunpod.apiKey} out of the test JVM's system properties before any test runs.
 * Failsafe copies those properties into every JUnit XML report (and keeps what it saw once, so taking the key out
 * after the first test class would be too late); the suite reads the key from here instead.
 */
public final class ApiKeyHandOff implements LauncherSessionListener {

    private static volatile String key;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        take();
    }

    /** Moves the key from the system properties to here; a later call (a nested run) keeps the first key. */
    static synchronized void take() {
        String given = System.getProperty(TargetConfig.API_KEY);
        if (given != null) {
            key = given;
            System.clearProperty(TargetConfig.API_KEY);
        }
    }

    /** The key taken from the system properties, if one was given that way. */
    public static Optional<String> key() {
        return Optional.ofNullable(key).filter(k -> !k.isBlank()).map(String::trim);
    }

    /** For tests only: forget the key. */
    static synchronized void forget() {
        key = null;
    }
}
