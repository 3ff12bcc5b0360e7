package io.tokenhub.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.gateway.TestConfigs;
import io.tokenhub.gateway.edge.BodyInspector.Endpoint;
import io.tokenhub.gateway.edge.BodyInspector.Estimate;
import io.tokenhub.infra.testing.Mutations;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A differential oracle for {@link BodyInspector}: thousands of mutated bodies, each judged again by a reference
 * written separately from the inspector's rules (strict UTF-8 decoding, a whole Jackson tree with duplicate and
 * trailing-token detection, the limits checked on the tree). Both must accept the same bodies, and for every accepted
 * body the estimate the rate limits use must be the same, so an accepted body is checked, not only the refused ones.
 */
class BodyInspectorDifferentialTest {

    private static final int MAX_DEPTH = 8;
    private static final int MAX_MESSAGES = 3;
    private static final int MAX_INPUTS = 4;
    private static final BodyInspector INSPECTOR = new BodyInspector(TestConfigs.gateway(Map.of(
                    "tokenhub.limits.max-json-depth", Integer.toString(MAX_DEPTH),
                    "tokenhub.limits.max-messages", Integer.toString(MAX_MESSAGES),
                    "tokenhub.limits.max-embedding-inputs", Integer.toString(MAX_INPUTS),
                    "tokenhub.limits.max-body-bytes", "65536"))
            .limits());
    private static final ObjectMapper REFERENCE = new ObjectMapper(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Map<Endpoint, byte[]> SEEDS = Map.of(
            Endpoint.CHAT_COMPLETIONS,
                    ("{\"model\":\"gpt-4o\",\"max_tokens\":64,\"n\":2,\"messages\":[{\"role\":"
                                    + "\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                                    + "\"text\":\"Héllo 👋\"}]}],\"temperature\":0.5,\"stream\":true}")
                            .getBytes(StandardCharsets.UTF_8),
            Endpoint.EMBEDDINGS,
                    "{\"model\":\"text-embedding-3-small\",\"input\":[[1,2,3],\"some text\"]}"
                            .getBytes(StandardCharsets.UTF_8));

    @Test
    void theInspectorAndAnIndependentReferenceAgreeOnEveryMutatedBody() {
        Random random = new Random(20261205);
        int accepted = 0;
        int refused = 0;
        for (Map.Entry<Endpoint, byte[]> seed : SEEDS.entrySet()) {
            for (int i = 0; i < 4_000; i++) {
                byte[] body = i == 0 ? seed.getValue() : Mutations.mutate(seed.getValue(), random);
                Optional<Estimate> expected = reference(seed.getKey(), body);
                Optional<Estimate> actual = inspected(seed.getKey(), body);
                String shown = new String(body, StandardCharsets.UTF_8);
                assertEquals(expected.isPresent(), actual.isPresent(), "accepted differently: " + shown);
                if (expected.isPresent()) {
                    assertEquals(expected.get(), actual.get(), "estimated differently: " + shown);
                    accepted++;
                } else {
                    refused++;
                }
            }
        }
        // Both kinds must occur in numbers, or the comparison proves nothing.
        assertTrue(accepted > 500 && refused > 500, "accepted " + accepted + ", refused " + refused);
    }

    @Test
    void theReferenceEstimatesTheSeedsAsWorkedOutByHand() {
        // Strings: gpt-4o 6, system 6, Be brief. 9, user 4, text 4, "Héllo 👋" 8 (the emoji is two UTF-16 chars),
        // = 37 chars, 10 tokens; output 64 x 2.
        assertEquals(
                Optional.of(new Estimate(10, 128, Optional.of("gpt-4o"))),
                reference(Endpoint.CHAT_COMPLETIONS, SEEDS.get(Endpoint.CHAT_COMPLETIONS)));
        // Strings: text-embedding-3-small 22, some text 9 = 31 chars, 8 tokens; 3 token ids.
        assertEquals(
                Optional.of(new Estimate(11, 0, Optional.of("text-embedding-3-small"))),
                reference(Endpoint.EMBEDDINGS, SEEDS.get(Endpoint.EMBEDDINGS)));
    }

    private static Optional<Estimate> inspected(Endpoint endpoint, byte[] body) {
        try {
            return Optional.of(INSPECTOR.inspect(endpoint, body));
        } catch (Rejection e) {
            return Optional.empty();
        }
    }

    /** The rules again, from a whole tree: empty when the body must be refused. */
    private static Optional<Estimate> reference(Endpoint endpoint, byte[] body) {
        if (body.length == 0 || utf16Marks(body) || !strictUtf8(body)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = REFERENCE.readTree(body);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject() || depth(root) > MAX_DEPTH || !wholeSurrogates(root)) {
            return Optional.empty();
        }
        long maxOutput = 0;
        long choices = 1;
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "messages" -> {
                    if (endpoint == Endpoint.CHAT_COMPLETIONS && (!value.isArray() || value.size() > MAX_MESSAGES)) {
                        return Optional.empty();
                    }
                }
                case "input" -> {
                    if (endpoint == Endpoint.EMBEDDINGS && value.isArray() && value.size() > MAX_INPUTS) {
                        return Optional.empty();
                    }
                }
                case "max_tokens", "max_completion_tokens", "n" -> {
                    if (!value.isNull() && (!value.isInt() || value.intValue() < 0)) {
                        return Optional.empty();
                    }
                    if (field.getKey().equals("n")) {
                        choices = Math.max(1, value.asLong(0));
                    } else {
                        maxOutput = Math.max(maxOutput, value.asLong(0));
                    }
                }
                default -> {
                    // Other fields are only measured.
                }
            }
        }
        long chars = stringChars(root);
        long tokenIds =
                endpoint == Endpoint.EMBEDDINGS && root.path("input").isArray() ? integers(root.get("input")) : 0;
        JsonNode model = root.path("model");
        Optional<String> named = model.isTextual() && model.textValue().length() <= BodyInspector.MAX_MODEL_CHARS
                ? Optional.of(model.textValue())
                : Optional.empty();
        return Optional.of(new Estimate((chars + 3) / 4 + tokenIds, maxOutput * choices, named));
    }

    private static boolean utf16Marks(byte[] body) {
        boolean bigEndianMark = body.length >= 2 && body[0] == (byte) 0xFE && body[1] == (byte) 0xFF;
        boolean littleEndianMark = body.length >= 2 && body[0] == (byte) 0xFF && body[1] == (byte) 0xFE;
        if (bigEndianMark || littleEndianMark) {
            return true;
        }
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean strictUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : 0;
    }

    /** Every string and field name is whole Unicode: no surrogate without its pair. */
    private static boolean wholeSurrogates(JsonNode node) {
        if (node.isTextual()) {
            return whole(node.textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!whole(field.getKey()) || !wholeSurrogates(field.getValue())) {
                return false;
            }
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                if (!wholeSurrogates(child)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean whole(String text) {
        return text.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }

    private static long stringChars(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().length();
        }
        long chars = 0;
        for (JsonNode child : node) {
            chars += stringChars(child);
        }
        return chars;
    }

    private static long integers(JsonNode node) {
        if (node.isIntegralNumber()) {
            return 1;
        }
        long count = 0;
        for (JsonNode child : node) {
            count += integers(child);
        }
        return count;
    }
}
