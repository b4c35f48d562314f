package dev.runpodkit.conformance.support;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.support.ReflectionSupport;

/** Every conformance check in the suite, found by reflection: the classes under checks/ marked {@link ConformanceCheck}. */
public final class CheckIndex {

    public static final String CHECKS_PACKAGE = "dev.runpodkit.conformance.checks";

    public record Check(Class<?> type, Method method, List<String> requirements, List<String> caughtBy) {
        public String name() {
            return type.getSimpleName() + "." + method.getName();
        }
    }

    private CheckIndex() {
    }

    public static List<Check> all() {
        List<Check> checks = new ArrayList<>();
        for (Class<?> type : ReflectionSupport.findAllClassesInPackage(CHECKS_PACKAGE,
                c -> c.isAnnotationPresent(ConformanceCheck.class), n -> true)) {
            for (Method m : type.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(Test.class)) {
                    continue;
                }
                Requirement r = m.getAnnotation(Requirement.class);
                CaughtBy c = m.getAnnotation(CaughtBy.class);
                checks.add(new Check(type, m, r == null ? List.of() : Arrays.asList(r.value()),
                        c == null ? List.of() : Arrays.asList(c.value())));
            }
        }
        checks.sort(Comparator.comparing(Check::name));
        return checks;
    }
}
