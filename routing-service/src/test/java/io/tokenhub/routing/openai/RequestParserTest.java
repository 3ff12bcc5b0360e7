package io.tokenhub.routing.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Jackson's own tree is the oracle: the strings read from the bytes must make the same tree, or the same refusal. */
class RequestParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Raw JSON string content: plain and multi-byte text, every escape, and what only Jackson may judge. */
    private static final String[] PIECES = {
        "a",
        "Hello there, ",
        "caf\u00e9 \u20ac \ud83c\udf0a",
        "\\\"",
        "\\\\",
        "\\/",
        "\\b\\f\\n\\r\\t",
        "\\u0041",
        "\\u00e9",
        "\\u20AC",
        "\\u0000",
        "\\ud83c\\udf0a",
        "\\ud800",
        "\\x",
        "\\u12G4",
        "\u0001",
    };

    @Test
    void readsTheSameTreeAsJacksonOrRefusesTheSameBodies() throws IOException {
        Random random = new Random(20261207);
        int same = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            String body = "{\"a\":\"" + text(random) + "\",\"b\":[\"" + text(random) + "\",1.5,{\"c\":\"" + text(random)
                    + "\"}],\"" + text(random) + "\":true}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Optional<JsonNode> expected = tree(() -> JSON.readTree(bytes));
            Optional<JsonNode> actual = tree(() -> RequestParser.readTree(JSON, bytes));
            assertEquals(expected, actual, body);
            if (expected.isPresent()) {
                same++;
            } else {
                refused++;
            }
        }
        assertTrue(same > 1_000 && refused > 1_000, "same " + same + ", refused " + refused);
    }

    @Test
    void aLongPromptIsReadWhole() throws IOException {
        String prompt = "The quick brown fox jumps over the lazy dog.\\n".repeat(25_000);
        byte[] bytes = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(JSON.readTree(bytes), RequestParser.readTree(JSON, bytes));
        assertEquals(
                prompt.replace("\\n", "\n"),
                RequestParser.readTree(JSON, bytes).at("/messages/0/content").asText());
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int p = random.nextInt(6); p > 0; p--) {
            // Mostly what clients send, so that most bodies are accepted and compared.
            text.append(PIECES[random.nextInt(random.nextInt(4) == 0 ? PIECES.length : 12)]);
        }
        return text.toString();
    }

    private static Optional<JsonNode> tree(Reader reader) {
        try {
            return Optional.of(reader.read());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface Reader {
        JsonNode read() throws IOException;
    }
}
