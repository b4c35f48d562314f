package dev.runpodkit.bench;

import dev.runpodkit.mock.http.HttpServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's ceiling: bare Javalin routes (same Javalin and Jetty as the mock) that check the API key and
 * answer fixed bytes, the same bodies the mock answers, with no job behind them. Whatever the mock does beyond
 * this (parsing, queueing, running and storing jobs) shows as the gap between the two.
 *
 * <pre>java -cp runpod-bench.jar dev.runpodkit.bench.BareJavalin --port 0 --api-key K --bodies DIR</pre>
 * DIR holds run.json, status.json and runsync.json.
 */
public final class BareJavalin {

    private BareJavalin() {
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        String apiKey = "test-key";
        Path bodies = Path.of(".");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--api-key" -> apiKey = args[i + 1];
                case "--bodies" -> bodies = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[] run = Files.readAllBytes(bodies.resolve("run.json"));
        byte[] status = Files.readAllBytes(bodies.resolve("status.json"));
        byte[] runsync = Files.readAllBytes(bodies.resolve("runsync.json"));
        Javalin app = create(apiKey, run, status, runsync).start("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        System.out.println("bare-javalin listening on http://127.0.0.1:" + app.port());
        System.out.flush();
    }

    /** The ceiling's routes, not started. */
    static Javalin create(String apiKey, byte[] run, byte[] status, byte[] runsync) {
        String expected = "Bearer " + apiKey;
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // the mock's own speed settings (CeilingSettingsTest checks they took): a ceiling must not be lowered
            HttpServer.tune(config);
            config.routes.post("/v2/{endpointId}/run", ctx -> answer(ctx, expected, run));
            config.routes.get("/v2/{endpointId}/status/{jobId}", ctx -> answer(ctx, expected, status));
            config.routes.post("/v2/{endpointId}/runsync", ctx -> answer(ctx, expected, runsync));
        });
    }

    private static void answer(Context ctx, String expectedAuth, byte[] body) {
        if (!expectedAuth.equals(ctx.header("Authorization"))) {
            ctx.status(401).contentType("application/json")
                    .result("{\"error\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        ctx.status(200).contentType("application/json").result(body);
    }
}
