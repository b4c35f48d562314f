package dev.runpodkit.mock.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flags and RUNPOD_MOCK_* environment variables become Settings; anything wrong is a clear BadArguments. */
class SettingsParserTest {

    private static Settings parse(String... args) {
        return SettingsParser.parse(args, Map.of());
    }

    private static Settings parseEnv(Map<String, String> env, String... args) {
        return SettingsParser.parse(args, env);
    }

    private static String failure(Map<String, String> env, String... args) {
        return assertThrows(SettingsParser.BadArguments.class, () -> SettingsParser.parse(args, env)).getMessage();
    }

    private static String failure(String... args) {
        return failure(Map.of(), args);
    }

    @Test
    void noFlagsGiveTheDocumentedDefaults() {
        Settings s = parse();
        assertEquals("127.0.0.1", s.host);
        assertEquals(8080, s.port);
        assertEquals(List.of("test-key"), s.apiKeys);
        assertEquals(List.of("test-endpoint"), s.endpoints);
        assertEquals(2, s.workersMin);
        assertEquals(2, s.workersMax);
        assertEquals(1.0, s.timeScale);
        assertFalse(s.clockFrozen);
        assertEquals(600_000, s.executionTimeoutDefaultMs);
        assertEquals(86_400_000, s.ttlDefaultMs);
        assertEquals(30 * 60_000, s.retentionRunMs);
        assertEquals(60_000, s.retentionSyncMs);
        assertEquals(10_000, s.streamWaitDefaultMs);
        assertTrue(s.strictInput);
        assertTrue(s.requestLog);
        assertTrue(s.defects.isEmpty());
    }

    @Test
    void everyValueFlagSetsItsSetting() {
        Settings s = parse("--port", "0", "--host", "0.0.0.0", "--workers-min", "1", "--workers-max", "5",
                "--cold-start-ms", "1500", "--idle-timeout-ms", "7000", "--time-scale", "250.5",
                "--execution-timeout-ms", "9000", "--ttl-ms", "20000", "--ttl-mode", "queue", "--timeout-status", "failed",
                "--retention-run-ms", "111", "--retention-sync-ms", "222", "--stream-wait-ms", "333",
                "--stream-chunk-max-bytes", "4096", "--oversized-result", "completed-empty",
                "--policy-max-enforced", "off", "--health-worker-keys", "basic", "--read-post", "off",
                "--webhook-payload", "status", "--stream-shape", "array", "--runsync-wait-meaning", "retention",
                "--rate-limit-rule", "queue-size", "--purged-jobs", "cancelled", "--status-ttl", "ignore",
                "--wait-min-ms", "2000", "--wait-max-ms", "60000", "--runsync-wait-ms", "30000");
        assertEquals(0, s.port);
        assertEquals("0.0.0.0", s.host);
        assertEquals(1, s.workersMin);
        assertEquals(5, s.workersMax);
        assertEquals(1_500, s.coldStartMs);
        assertEquals(7_000, s.idleTimeoutMs);
        assertEquals(250.5, s.timeScale);
        assertEquals(9_000, s.executionTimeoutDefaultMs);
        assertEquals(20_000, s.ttlDefaultMs);
        assertEquals(Settings.TtlMode.QUEUE, s.ttlMode);
        assertEquals(Settings.TimeoutStatus.FAILED, s.timeoutStatus);
        assertEquals(111, s.retentionRunMs);
        assertEquals(222, s.retentionSyncMs);
        assertEquals(333, s.streamWaitDefaultMs);
        assertEquals(4_096, s.streamChunkMaxBytes);
        assertEquals(Settings.OversizedResult.COMPLETED_EMPTY, s.oversizedResult);
        assertEquals(false, s.policyMaxEnforced);
        assertEquals(Settings.HealthWorkerKeys.BASIC, s.healthWorkerKeys);
        assertEquals(false, s.readPost);
        assertEquals(Settings.WebhookPayload.STATUS, s.webhookPayload);
        assertEquals(Settings.StreamShape.ARRAY, s.streamShape);
        assertEquals(Settings.RunsyncWaitMeaning.RETENTION, s.runsyncWaitMeaning);
        assertEquals(Settings.RateLimitRule.QUEUE_SIZE, s.rateLimitRule);
        assertEquals(Settings.PurgedJobs.CANCELLED, s.purgedJobs);
        assertEquals(Settings.StatusTtl.IGNORE, s.statusTtl);
        assertEquals(2_000, s.waitMinMs);
        assertEquals(60_000, s.waitMaxMs);
        assertEquals(30_000, s.runsyncWaitDefaultMs);
    }

    @Test
    void aValueCanFollowAnEqualsSign() {
        Settings s = parse("--port=0", "--workers=4", "--ttl-mode=lifetime", "--api-key=k=v");
        assertEquals(0, s.port);
        assertEquals(4, s.workersMin);
        assertEquals(4, s.workersMax);
        assertEquals(Settings.TtlMode.LIFETIME, s.ttlMode);
        assertEquals(List.of("k=v"), s.apiKeys, "only the first '=' splits");
    }

    @Test
    void everyToggleTurnsItsSettingOn() {
        Settings s = parse("--frozen-clock", "--lenient-input", "--execution-timeout-min-exclusive", "--generator",
                "--return-aggregate-stream", "--quiet");
        assertTrue(s.clockFrozen);
        assertFalse(s.strictInput);
        assertFalse(s.executionTimeoutMinInclusive);
        assertTrue(s.generator);
        assertTrue(s.aggregateStream);
        assertFalse(s.requestLog);
    }

    @Test
    void aWaitMaximumBelowTheMinimumIsRefused() {
        String message = failure("--wait-min-ms", "5000", "--wait-max-ms", "4000");
        assertTrue(message.contains("--wait-max-ms") && message.contains("--wait-min-ms"), message);
    }

    @Test
    void aHoldWithoutWaitOutsideTheBoundsOfWaitIsRefusedNamingBothFlags() {
        // --runsync-wait-ms 400000 was taken: a /runsync without ?wait held 400 s, one with ?wait=400000 was cut to 300 s
        String over = failure("--runsync-wait-ms", "400000");
        assertTrue(over.contains("--runsync-wait-ms") && over.contains("--wait-max-ms") && over.contains("300000"), over);
        String under = failure("--runsync-wait-ms", "500", "--wait-min-ms", "1000");
        assertTrue(under.contains("--runsync-wait-ms") && under.contains("--wait-min-ms"), under);
        // a hold not given follows the bounds given: the default 90 s is past --wait-max-ms 60000, so it is 60 s
        Settings lowered = parseEnv(Map.of("RUNPOD_MOCK_WAIT_MAX_MS", "60000"));
        assertEquals(60_000, lowered.runsyncWaitDefaultMs);
        assertEquals(10_000, lowered.streamWaitDefaultMs, "within the bound: left alone");
        Settings tight = parse("--wait-min-ms", "100000", "--wait-max-ms", "200000");
        assertEquals(100_000, tight.runsyncWaitDefaultMs);
        assertEquals(5_000, parse("--wait-max-ms", "5000").streamWaitDefaultMs);
        // /stream's ?wait is clamped to 0..--wait-max-ms (DEC-025): its default hold keeps within that, not above --wait-min-ms
        String stream = failure("--stream-wait-ms", "400000");
        assertTrue(stream.contains("--stream-wait-ms") && stream.contains("--wait-max-ms"), stream);
        assertEquals(500, parse("--stream-wait-ms", "500").streamWaitDefaultMs, "below --wait-min-ms is fine for /stream");

        Settings edges = parse("--wait-min-ms", "2000", "--wait-max-ms", "60000", "--runsync-wait-ms", "60000", "--stream-wait-ms", "60000");
        assertEquals(60_000, edges.runsyncWaitDefaultMs, "the bounds themselves are within");
        assertEquals(2_000, parse("--wait-min-ms", "2000", "--runsync-wait-ms", "2000").runsyncWaitDefaultMs);
        assertEquals(400_000, parse("--runsync-wait-ms", "400000", "--wait-max-ms", "400000").runsyncWaitDefaultMs);
    }

    @Test
    void aToggleGivenAValueIsRefusedRatherThanReadAsOn() {
        String message = failure("--quiet=false");
        assertTrue(message.contains("--quiet") && message.contains("no value"), message);
        assertTrue(failure("--frozen-clock=yes").contains("--frozen-clock"));
    }

    @Test
    void repeatableFlagsReplaceTheDefaultsAndAddUp() {
        Settings s = parse("--api-key", "a", "--endpoint", "ep-1", "--api-key", "b", "--endpoint", "ep-2",
                "--defect", "status-running", "--defect", "NO_405");
        assertEquals(List.of("a", "b"), s.apiKeys);
        assertEquals(List.of("ep-1", "ep-2"), s.endpoints);
        assertEquals(EnumSet.of(Defect.STATUS_RUNNING, Defect.NO_405), s.defects);
    }

    @Test
    void workersSetsAFixedPool() {
        Settings s = parse("--workers", "3");
        assertEquals(3, s.workersMin);
        assertEquals(3, s.workersMax);
    }

    @Test
    void aMinimumAboveTheDefaultMaximumRaisesIt() {
        Settings s = parse("--workers-min", "4");
        assertEquals(4, s.workersMin);
        assertEquals(4, s.workersMax);
    }

    @Test
    void aMaximumBelowTheDefaultMinimumLowersIt() {
        Settings s = parse("--workers-max", "1");
        assertEquals(1, s.workersMin, "--workers-max 1 alone means at most one worker");
        assertEquals(1, s.workersMax);
        Settings none = parseEnv(Map.of("RUNPOD_MOCK_WORKERS_MAX", "0"));
        assertEquals(0, none.workersMin);
        assertEquals(0, none.workersMax);
    }

    @Test
    void boundsGivenThatCrossAreRefused() {
        SettingsParser.BadArguments e = assertThrows(SettingsParser.BadArguments.class,
                () -> parse("--workers-min", "4", "--workers-max", "1"));
        assertTrue(e.getMessage().contains("--workers-max (1) must be at least --workers-min (4)"), e.getMessage());
        assertThrows(SettingsParser.BadArguments.class, () -> parse("--workers", "3", "--workers-max", "1"));
        assertThrows(SettingsParser.BadArguments.class,
                () -> parseEnv(Map.of("RUNPOD_MOCK_WORKERS_MIN", "4", "RUNPOD_MOCK_WORKERS_MAX", "1")));
    }

    @Test
    void aBoundFromTheCommandLineWinsOverOneFromTheEnvironment() {
        Settings lowered = parseEnv(Map.of("RUNPOD_MOCK_WORKERS", "3"), "--workers-max", "1");
        assertEquals(1, lowered.workersMin, "the flag wins: the environment's minimum follows it down");
        assertEquals(1, lowered.workersMax);
        Settings raised = parseEnv(Map.of("RUNPOD_MOCK_WORKERS_MAX", "1"), "--workers-min", "4");
        assertEquals(4, raised.workersMin);
        assertEquals(4, raised.workersMax);
    }

    @Test
    void environmentVariablesSetTheSameThings() {
        Settings s = parseEnv(Map.of(
                "RUNPOD_MOCK_PORT", "0",
                "RUNPOD_MOCK_API_KEYS", "one, two,,three",
                "RUNPOD_MOCK_ENDPOINTS", "ep-a",
                "RUNPOD_MOCK_TIME_SCALE", " 10 ",
                "RUNPOD_MOCK_FROZEN_CLOCK", "true",
                "RUNPOD_MOCK_QUIET", "1",
                "RUNPOD_MOCK_GENERATOR", "false",
                "RUNPOD_MOCK_DEFECTS", "no-auth,status-running",
                "RUNPOD_MOCK_TIMEOUT_STATUS", "FAILED",
                "RUNPOD_MOCK_UNRELATED", "whatever"));
        assertEquals(0, s.port);
        assertEquals(List.of("one", "two", "three"), s.apiKeys);
        assertEquals(List.of("ep-a"), s.endpoints);
        assertEquals(10.0, s.timeScale);
        assertTrue(s.clockFrozen);
        assertFalse(s.requestLog);
        assertFalse(s.generator, "false leaves a toggle off");
        assertEquals(EnumSet.of(Defect.NO_AUTH, Defect.STATUS_RUNNING), s.defects);
        assertEquals(Settings.TimeoutStatus.FAILED, s.timeoutStatus);
    }

    @Test
    void blankEnvironmentVariablesAreIgnored() {
        Settings s = parseEnv(Map.of("RUNPOD_MOCK_PORT", "  ", "RUNPOD_MOCK_API_KEYS", ""));
        assertEquals(8080, s.port);
        assertEquals(List.of("test-key"), s.apiKeys);
    }

    @Test
    void flagsWinOverTheEnvironment() {
        Settings s = parseEnv(Map.of("RUNPOD_MOCK_PORT", "1234", "RUNPOD_MOCK_API_KEYS", "env-a,env-b"),
                "--port", "4321", "--api-key", "flag-key");
        assertEquals(4321, s.port);
        assertEquals(List.of("flag-key"), s.apiKeys, "a repeatable flag replaces the environment's list");
    }

    @Test
    void anUnknownFlagIsRefusedByName() {
        String message = failure("--port", "0", "--portt", "1");
        assertTrue(message.contains("--portt"), message);
        assertTrue(message.contains("--help"), message);
        assertTrue(failure("stray").contains("stray"));
    }

    @Test
    void aFlagWithoutItsValueSaysSo() {
        assertEquals("--port needs a value", failure("--port"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--port, abc, --port",
            "--port, 70000, --port",
            "--port, -1, --port",
            "--workers, -2, --workers",
            "--workers-max, 10001, --workers-max",
            "--cold-start-ms, 1.5, --cold-start-ms",
            "--idle-timeout-ms, '', --idle-timeout-ms",
            "--time-scale, 0, --time-scale",
            "--time-scale, -1, --time-scale",
            "--time-scale, abc, --time-scale",
            "--time-scale, NaN, --time-scale",
            "--time-scale, Infinity, --time-scale",
            "--time-scale, 1e300, --time-scale",
            "--time-scale, 1000001, --time-scale",
            "--ttl-mode, forever, --ttl-mode",
            "--timeout-status, CRASHED, --timeout-status",
            "--oversized-result, dropped, --oversized-result",
            "--policy-max-enforced, sometimes, --policy-max-enforced",
            "--health-worker-keys, all, --health-worker-keys",
            "--read-post, maybe, --read-post",
            "--webhook-payload, full, --webhook-payload",
            "--stream-shape, list, --stream-shape",
            "--runsync-wait-meaning, both, --runsync-wait-meaning",
            "--rate-limit-rule, strict, --rate-limit-rule",
            "--purged-jobs, deleted, --purged-jobs",
            "--status-ttl, later, --status-ttl",
            "--stream-chunk-max-bytes, -5, --stream-chunk-max-bytes",
            "--execution-timeout-ms, ten, --execution-timeout-ms",
            "--worker-ping-interval-ms, 0, --worker-ping-interval-ms",
            "--webhook-attempts, 0, --webhook-attempts",
            "--worker-lost-after-pings, 0, --worker-lost-after-pings"})
    void aBadValueIsRefusedNamingTheFlagAndTheValue(String flag, String value, String named) {
        String message = failure(flag, value);
        assertTrue(message.contains(named), message);
        assertTrue(message.contains("'" + value + "'") || message.contains(" " + value), message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // flag, least, most (empty: none), what every refusal says
            "--webhook-attempts, 1, 100, 'from 1 to 100'",
            "--worker-lost-after-pings, 1, 1000, 'from 1 to 1000'",
            "--webhook-journal-size, 1, 10000000, 'from 1 to 10000000'",
            "--worker-ping-interval-ms, 1, , '>= 1'",
            "--worker-take-wait-ms, 0, 89999, 'from 0 to 89999'",
            "--lost-worker-retries, 0, 100, 'from 0 to 100'",
            "--port, 0, 65535, 'from 0 to 65535'",
            "--workers, 0, 10000, 'from 0 to 10000'",
            "--cold-start-ms, 0, , '>= 0'"})
    void aRefusedValueIsToldTheRangeThatIsReallyAccepted(String flag, long least, Long most, String range) {
        // --webhook-attempts -1 said '>= 0' while 0 was refused ('between 1 and 100'); each refusal now states the range
        List<String> refused = new java.util.ArrayList<>(List.of(String.valueOf(least - 1), "-1", "x"));
        if (most != null) {
            refused.add(String.valueOf(most + 1));
        }
        for (String bad : refused) {
            String message = failure(flag, bad);
            assertTrue(message.contains(flag) && message.contains(range) && message.contains("'" + bad + "'"), bad + ": " + message);
        }
        for (Long good : most == null ? List.of(least) : List.of(least, most)) {
            String[] args = flag.equals("--port") ? new String[] {flag, String.valueOf(good)} : new String[] {"--port", "0", flag, String.valueOf(good)};
            parse(args); // accepted: within the range the message states
        }
    }

    @Test
    void thePayloadTooLargeStatusIsToldItsTwoValuesWhateverTheValue() {
        // 399 said 'between 400 and 413', while 401 (between them) said '400 or 413' and -1 said '>= 0'
        for (String bad : List.of("399", "401", "-1", "x", "414")) {
            String message = failure("--payload-too-large-status", bad);
            assertTrue(message.contains("must be 400 or 413") && message.contains("'" + bad + "'"), message);
        }
        assertEquals(413, parse("--payload-too-large-status", "413").payloadTooLargeStatus);
        assertEquals(400, parse("--payload-too-large-status", " 400").payloadTooLargeStatus);
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() {
        String message = failure(Map.of("RUNPOD_MOCK_WORKERS", "many"));
        assertTrue(message.startsWith("RUNPOD_MOCK_WORKERS: "), message);
        assertTrue(message.contains("many"), message);
    }

    @Test
    void aToggleVariableThatIsNeitherTrueNorFalseIsRefused() {
        String message = failure(Map.of("RUNPOD_MOCK_FROZEN_CLOCK", "maybe"));
        assertTrue(message.startsWith("RUNPOD_MOCK_FROZEN_CLOCK: "), message);
        assertTrue(message.contains("maybe"), message);
        assertFalse(parseEnv(Map.of("RUNPOD_MOCK_FROZEN_CLOCK", "no")).clockFrozen);
        assertTrue(parseEnv(Map.of("RUNPOD_MOCK_FROZEN_CLOCK", " YES ")).clockFrozen);
    }

    @Test
    void anUnknownDefectListsTheKnownOnes() {
        String message = failure("--defect", "status-missing-idd");
        assertTrue(message.contains("status-missing-idd"), message);
        for (Defect d : Defect.values()) {
            assertTrue(message.contains(d.flagName()), () -> d.flagName() + " missing from: " + message);
        }
        assertTrue(failure(Map.of("RUNPOD_MOCK_DEFECTS", "no-auth,bogus")).startsWith("RUNPOD_MOCK_DEFECTS: unknown defect 'bogus'"));
    }

    @Test
    void atLeastOneKeyAndOneEndpointAreNeeded() {
        assertTrue(failure(Map.of("RUNPOD_MOCK_API_KEYS", ",")).contains("API key"));
        assertTrue(failure(Map.of("RUNPOD_MOCK_ENDPOINTS", " , ")).contains("endpoint"));
    }

    @Test
    void aKeyOrEndpointNoRequestCouldUseIsRefused() {
        // each of these started a mock whose key nobody could send, or whose endpoint URL (as the banner printed it,
        // http://.../v2//run or /v2/a/b/run) no request could reach
        assertTrue(failure("--api-key", "").contains("--api-key"));
        assertTrue(failure("--api-key", " padded ").contains("space"));
        for (String id : List.of("", "a/b", "my endpoint", "ep?x", "ep%20", "..")) {
            String message = failure("--endpoint", id);
            assertTrue(message.contains("--endpoint") && message.contains("'" + id + "'"), message);
        }
        assertTrue(failure(Map.of("RUNPOD_MOCK_ENDPOINTS", "ok,a/b")).startsWith("RUNPOD_MOCK_ENDPOINTS: "));
        assertEquals(List.of("ep_1.v2~x-y"), parse("--endpoint", "ep_1.v2~x-y").endpoints);
    }

    @Test
    void anEndpointNamedTwiceIsServedAndListedOnce() {
        assertEquals(List.of("a", "b"), parse("--endpoint", "a", "--endpoint", "b", "--endpoint", "a").endpoints);
        assertEquals(List.of("a"), parseEnv(Map.of("RUNPOD_MOCK_ENDPOINTS", "a, a")).endpoints);
    }

    @Test
    void theUsageListsEveryFlagAndItsVariable() {
        String usage = SettingsParser.usage();
        for (String flag : List.of("--port", "--host", "--api-key", "--endpoint", "--workers", "--workers-min",
                "--workers-max", "--cold-start-ms", "--idle-timeout-ms", "--time-scale", "--frozen-clock",
                "--execution-timeout-ms", "--ttl-ms", "--ttl-mode", "--timeout-status", "--retention-run-ms",
                "--retention-sync-ms", "--stream-wait-ms", "--lenient-input", "--execution-timeout-min-exclusive",
                "--generator", "--return-aggregate-stream", "--quiet", "--defect", "--list-defects", "--help")) {
            assertTrue(usage.contains(flag + " ") || usage.contains(flag + "\n"), flag);
        }
        assertTrue(usage.contains("[RUNPOD_MOCK_PORT]"));
        assertTrue(usage.contains("[RUNPOD_MOCK_DEFECTS]"));
    }
}
