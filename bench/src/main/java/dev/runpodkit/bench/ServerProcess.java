package dev.runpodkit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server started as a child JVM: its output goes to a log file (scanned for secrets later), its port is read
 * from the line it prints once it listens, and {@link #close()} stops it with SIGTERM, then SIGKILL after a
 * bound. Every PID is also appended to a file, so a shell trap can stop what a crashed caller left behind.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread pump;

    private ServerProcess(String name, Process process, Path log, Pattern portPattern) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pump = new Thread(() -> pump(portPattern), name + "-log");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Starts {@code command} and waits until it prints its port.
     *
     * @param portPattern the first group is the port; null for the "listening on http://127.0.0.1:N" line
     * @param pidFile     where the PID is appended for the caller's trap; may be null
     */
    public static ServerProcess start(String name, List<String> command, Path log, Pattern portPattern, Path pidFile,
                                      long startTimeoutMs) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        if (pidFile != null) {
            Files.createDirectories(pidFile.toAbsolutePath().getParent());
            Files.writeString(pidFile, p.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        ServerProcess sp = new ServerProcess(name, p, log, portPattern == null ? LISTENING : portPattern);
        try {
            sp.port.get(startTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            sp.close();
            throw new IOException(name + " did not start within " + startTimeoutMs + " ms; see " + log, e);
        }
        return sp;
    }

    /** {@code java <jvmFlags> -jar <jar> <args>} with this JVM's java. */
    public static List<String> javaJar(List<String> jvmFlags, Path jar, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        return cmd;
    }

    /** {@code java <jvmFlags> -cp <classpath> <mainClass> <args>}. */
    public static List<String> javaMain(List<String> jvmFlags, String classpath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void pump(Pattern portPattern) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                out.flush();
                if (!port.isDone()) {
                    Matcher m = portPattern.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            port.completeExceptionally(new IOException(name + " ended before it printed its port"));
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port.join();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /**
     * Sends SIGTERM and returns at once. Through the process handle: {@link Process#destroy()} also closes our end
     * of the output pipe, which would lose the lines the server prints while it stops.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the process to end; true if it did within the bound. */
    public boolean awaitExit(long ms) throws InterruptedException {
        boolean exited = process.waitFor(ms, TimeUnit.MILLISECONDS);
        if (exited) {
            pump.join(2_000); // the log is complete
        }
        return exited;
    }

    /** SIGTERM, then SIGKILL if it has not ended within 10 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        terminate();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            pump.join(2_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
