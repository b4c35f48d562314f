package dev.runpodkit.mock;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.config.SettingsParser;
import dev.runpodkit.mock.config.WorkerEnvironment;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar runpod-mock.jar [options]}: starts the mock and runs until SIGTERM or Ctrl-C. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> argList = Arrays.asList(args);
        if (argList.contains("--help") || argList.contains("-h")) {
            System.out.print(SettingsParser.usage());
            return;
        }
        if (argList.contains("--list-defects")) {
            for (Defect d : Defect.values()) {
                System.out.printf("%-28s %s%n", d.flagName(), d.description());
            }
            return;
        }
        Settings settings;
        try {
            settings = SettingsParser.parse(args, System.getenv());
        } catch (SettingsParser.BadArguments e) {
            System.err.println("runpod-mock: " + e.getMessage());
            System.exit(2);
            return;
        }
        MockServer server;
        try {
            server = MockServer.start(settings);
        } catch (RuntimeException e) {
            System.err.println("runpod-mock: could not start on " + settings.host + ":" + settings.port + ": " + rootMessage(e));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("runpod-mock: stopping (answering requests in flight)");
            System.out.flush();
            long t0 = System.nanoTime();
            server.close();
            System.out.println("runpod-mock: stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            System.out.flush();
            stopped.countDown();
        }, "shutdown"));
        printBanner(server, settings);
        stopped.await();
    }

    private static void printBanner(MockServer server, Settings s) {
        System.out.print(banner(server.baseUrl(), s));
        System.out.flush();
    }

    /** What the mock prints once it listens: where each endpoint is, who runs its jobs, and how to reach it. */
    static String banner(String base, Settings s) {
        StringBuilder sb = new StringBuilder();
        sb.append("runpod-mock listening on ").append(base).append('\n');
        boolean mixed = s.endpoints.stream().map(s::modeOf).distinct().count() > 1;
        for (String ep : s.endpoints) {
            sb.append("  endpoint ").append(ep).append(": ").append(base).append("/v2/").append(ep).append("/run");
            if (mixed) {
                sb.append(s.modeOf(ep) == Settings.Mode.EXTERNAL ? " (external workers)" : " (built-in workers)");
            }
            sb.append('\n');
        }
        boolean defaultKey = s.apiKeys.equals(List.of("test-key"));
        sb.append("  auth: ").append(defaultKey ? "the default key 'test-key' (set your own with --api-key)"
                : s.apiKeys.size() + " API key(s) configured").append('\n');
        List<String> builtin = s.endpoints.stream().filter(ep -> s.modeOf(ep) == Settings.Mode.BUILTIN).toList();
        List<String> external = s.endpoints.stream().filter(ep -> s.modeOf(ep) == Settings.Mode.EXTERNAL).toList();
        String pool = s.workersMin + ".." + s.workersMax;
        String workers;
        if (external.isEmpty()) {
            workers = "built-in workers per endpoint: " + pool;
        } else if (builtin.isEmpty()) {
            workers = "no built-in workers (mode external: your own workers run the jobs)";
        } else {
            // only some endpoints are external: say which have a built-in pool and which wait for connected workers
            workers = "built-in workers (" + pool + " per endpoint) on " + String.join(", ", builtin)
                    + "; none on " + String.join(", ", external) + " (mode external: jobs there wait for your own workers)";
        }
        sb.append("  ").append(workers)
                .append(", time scale: ").append(s.timeScale).append(s.clockFrozen ? " (frozen)" : "").append('\n');
        boolean anyBuiltin = false;
        for (String ep : s.endpoints) {
            if (s.modeOf(ep) == Settings.Mode.EXTERNAL) {
                sb.append(WorkerEnvironment.banner(base, ep, s, s.timeScale));
            } else {
                anyBuiltin = true;
            }
        }
        if (anyBuiltin) {
            sb.append("  to run your own handler instead of the built-in workers: --mode external (or --endpoint-mode ID=external)\n");
        }
        if (!s.defects.isEmpty()) {
            sb.append("  DELIBERATE DEFECTS ACTIVE: ").append(s.defects.stream().map(Defect::flagName).toList()).append('\n');
        }
        sb.append("  admin: ").append(base).append("/__admin/settings\n");
        return sb.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
