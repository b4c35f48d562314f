package dev.runpodkit.mock.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Bodies written without the mapper must be the very bytes the mapper writes. */
class ResponsesTest {

    @Test
    void theRunAnswerIsWrittenDirectlyAndIsTheMappersBytes() {
        ObjectNode run = Json.object().put("id", "238ae72d-0a78-46d9-860a-7d8ed215375e-u1").put("status", "IN_QUEUE");
        assertNotNull(Responses.plainStrings(run), "the /run answer takes the direct path");
        assertArrayEquals(Json.MAPPER.writeValueAsBytes(run), Responses.bytes(run));
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), Responses.bytes(Json.object()));
    }

    @Test
    void anythingThatIsNotAFewPlainStringsGoesToTheMapper() {
        assertNull(Responses.plainStrings(Json.object().put("error", "a \"quoted\" word")));
        assertNull(Responses.plainStrings(Json.object().put("error", "back\\slash")));
        assertNull(Responses.plainStrings(Json.object().put("error", "line\nbreak")));
        assertNull(Responses.plainStrings(Json.object().put("error", "caf\u00e9")));
        assertNull(Responses.plainStrings(Json.object().put("delayTime", 12)));
        assertNull(Responses.plainStrings(Json.object().putNull("output")));
        assertNull(Responses.plainStrings(Json.object().set("output", Json.object())));
        assertNull(Responses.plainStrings(Json.NODES.arrayNode()));
        assertNull(Responses.plainStrings(Json.object().put("a", "1").put("b", "2").put("c", "3").put("d", "4").put("e", "5")));
    }

    @Test
    void generatedObjectsAreWrittenAsTheMapperWritesThem() {
        SplittableRandom random = new SplittableRandom(20261207);
        String alphabet = "aZ09 -_:/{}[],.\"\\\n\t\u00e9\u20ac\ud83d\ude00~\u007f";
        for (int n = 0; n < 5_000; n++) {
            ObjectNode o = Json.object();
            int fields = random.nextInt(6);
            for (int f = 0; f < fields; f++) {
                o.put(text(random, alphabet), text(random, alphabet));
            }
            assertArrayEquals(Json.MAPPER.writeValueAsBytes(o), Responses.bytes(o), o::toString);
        }
    }

    private static String text(SplittableRandom random, String alphabet) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(12);
        boolean plainOnly = random.nextBoolean(); // half of them plain, so both paths are taken often
        for (int i = 0; i < length; i++) {
            int from = plainOnly ? 14 : alphabet.length();
            int at = random.nextInt(from);
            if (Character.isHighSurrogate(alphabet.charAt(at)) && at + 1 < alphabet.length()) {
                sb.append(alphabet, at, at + 2);
            } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                sb.append(alphabet.charAt(at));
            }
        }
        return sb.toString();
    }
}
