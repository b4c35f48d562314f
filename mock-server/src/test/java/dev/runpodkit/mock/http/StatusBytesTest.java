package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.JobStatus;
import dev.runpodkit.mock.engine.JobView;
import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A /run or /status answer written directly (Views.runBytes, Views.statusBytes) must be the very bytes the mapper
 * writes for the answer's tree, whichever job it is: finished ones whose output is stored JSON text, and ones held as
 * trees.
 */
class StatusBytesTest {

    private static final String ALPHABET = "aZ09 -_:/{}[],.\"\\\n\t\u00e9\u20ac\ud83d\ude00~\u007f";

    @Test
    void viewsOfEveryKindAreWrittenAsTheMapperWritesTheirTree() {
        SplittableRandom random = new SplittableRandom(7_12_2026);
        Views views = new Views(new Settings());
        for (int n = 0; n < 3_000; n++) {
            JobView job = new JobView(id(random, n), "ep", status(random), Json.object(), null, null, null, false, 0,
                    null, null,
                    random.nextBoolean() ? (long) random.nextInt(100_000) : null,
                    random.nextBoolean() ? (long) random.nextInt(100_000) : null,
                    random.nextInt(4) == 0 ? null : value(random, 3),
                    random.nextInt(3) == 0 ? text(random) : null,
                    random.nextBoolean() ? "w" + random.nextInt(1_000) : null, random.nextInt(3));
            assertEquals(new String(Json.MAPPER.writeValueAsBytes(views.statusPayload(job)), StandardCharsets.UTF_8),
                    new String(views.statusBytes(job), StandardCharsets.UTF_8), job::toString);
        }
    }

    @Test
    void theRunAnswerIsWrittenAsTheMapperWritesItsTree() {
        SplittableRandom random = new SplittableRandom(612);
        Views views = new Views(new Settings());
        for (int n = 0; n < 2_000; n++) {
            JobView job = new JobView(id(random, n), "ep", status(random), Json.object(), null, null, null, false, 0,
                    null, null, null, null, null, null, null, 0);
            assertEquals(new String(Json.MAPPER.writeValueAsBytes(views.runResponse(job)), StandardCharsets.UTF_8),
                    new String(views.runBytes(job), StandardCharsets.UTF_8), job::toString);
        }
        Settings broken = new Settings();
        broken.defects.add(Defect.RUN_RETURNS_IN_PROGRESS);
        JobView queued = new JobView("job-1", "ep", JobStatus.IN_QUEUE, Json.object(), null, null, null, false, 0, null,
                null, null, null, null, null, null, 0);
        assertEquals("{\"id\":\"job-1\",\"status\":\"IN_PROGRESS\"}",
                new String(new Views(broken).runBytes(queued), StandardCharsets.UTF_8));
    }

    @Test
    void aDefectTakesTheTreePathAndItsChangeShows() {
        Settings broken = new Settings();
        broken.defects.add(Defect.STATUS_MISSING_ID);
        JobView job = new JobView("job-1", "ep", JobStatus.COMPLETED, Json.object(), null, null, null, false, 0, null,
                null, 1L, 2L, Json.object().put("a", 1), null, "w1", 0);
        String written = new String(new Views(broken).statusBytes(job), StandardCharsets.UTF_8);
        assertEquals("{\"delayTime\":1,\"executionTime\":2,\"output\":{\"a\":1},\"status\":\"COMPLETED\",\"workerId\":\"w1\"}",
                written);
    }

    @Test
    void finishedJobsOverHttpAnswerTheBytesOfTheirTree() {
        SplittableRandom random = new SplittableRandom(20261207);
        try (MockHarness m = MockHarness.frozen(s -> s.workersMin = s.workersMax = 2)) {
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                ObjectNode input = Json.object();
                if (random.nextInt(4) == 0) {
                    input.put("mock_error", text(random));
                } else {
                    input.set("mock_return", value(random, 3));
                }
                ids.add(m.run(input.toString()));
            }
            m.advance(0);
            int finished = 0;
            for (String id : ids) {
                Reply status = m.get(ep("/status/" + id));
                Reply admin = m.get("/__admin/jobs/" + id);
                assertEquals(200, status.status(), status::toString);
                assertEquals(200, admin.status(), admin::toString);
                String tree = new String(Json.MAPPER.writeValueAsBytes(admin.json().get("status")), StandardCharsets.UTF_8);
                assertEquals(tree, status.body(), id);
                finished += status.json().get("status").asString().equals("IN_QUEUE") ? 0 : 1;
            }
            assertTrue(finished >= 150, "most jobs finished: " + finished);
        }
    }

    /** An id as the mock makes them, or any text (one that needs escaping takes the mapper path). */
    private static String id(SplittableRandom random, int n) {
        return random.nextBoolean() ? "job-" + n + "-u1" : text(random);
    }

    private static JobStatus status(SplittableRandom random) {
        return JobStatus.values()[random.nextInt(JobStatus.values().length)];
    }

    /** A random JSON value: numbers of every form, strings that need escaping or not, nesting, null. */
    private static JsonNode value(SplittableRandom random, int depth) {
        switch (random.nextInt(depth > 0 ? 8 : 6)) {
            case 0: return Json.NODES.numberNode(random.nextLong());
            case 1: return Json.NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
            case 2: return Json.NODES.stringNode(text(random));
            case 3: return Json.NODES.booleanNode(random.nextBoolean());
            case 4: return Json.NODES.nullNode();
            case 5: return Json.NODES.numberNode(new java.math.BigInteger(80, new java.util.Random(random.nextLong())));
            case 6: {
                ArrayNode a = Json.NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(value(random, depth - 1));
                }
                return a;
            }
            default: {
                ObjectNode o = Json.object();
                for (int i = random.nextInt(4); i > 0; i--) {
                    o.set(text(random), value(random, depth - 1));
                }
                return o;
            }
        }
    }

    private static String text(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        boolean plainOnly = random.nextBoolean();
        for (int i = random.nextInt(12); i > 0; i--) {
            int at = random.nextInt(plainOnly ? 14 : ALPHABET.length());
            if (Character.isHighSurrogate(ALPHABET.charAt(at)) && at + 1 < ALPHABET.length()) {
                sb.append(ALPHABET, at, at + 2);
            } else if (!Character.isLowSurrogate(ALPHABET.charAt(at))) {
                sb.append(ALPHABET.charAt(at));
            }
        }
        return sb.toString();
    }
}
