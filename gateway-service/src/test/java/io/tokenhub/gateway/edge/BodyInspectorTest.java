package io.tokenhub.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tokenhub.gateway.TestConfigs;
import io.tokenhub.infra.testing.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyInspectorTest {

    private static final BodyInspector INSPECTOR = new BodyInspector(TestConfigs.gateway(Map.of(
                    "tokenhub.limits.max-json-depth",
                    "8",
                    "tokenhub.limits.max-messages",
                    "3",
                    "tokenhub.limits.max-embedding-inputs",
                    "4",
                    "tokenhub.limits.max-body-bytes",
                    "65536"))
            .limits());
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"max_tokens\":50,\"n\":2,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Tell me about the sea \\ud83c\\udf0a\"}]}]}";

    @Test
    void validBodiesAreMeasuredForTheTokenLimits() throws Rejection {
        BodyInspector.Estimate chat = inspect(BodyInspector.Endpoint.CHAT_COMPLETIONS, CHAT);
        // String values: gpt-4o(6) system(6) Be brief.(9) user(4) text(4) the text (24 incl. a surrogate pair) = 53.
        assertEquals(14, chat.promptTokens());
        assertEquals(100, chat.reservedOutputTokens());
        assertEquals(Optional.of("gpt-4o"), chat.model());
        // The prompt plus the output it allows; the default only stands in for a limit the request did not set.
        assertEquals(114, chat.reservation(1024));
        BodyInspector.Estimate embeddings = inspect(
                BodyInspector.Endpoint.EMBEDDINGS, "{\"model\":\"text-embedding-3-small\",\"input\":[[1,2,3],[4,5]]}");
        assertEquals(5 + 6, embeddings.promptTokens());
        assertEquals(11, embeddings.reservation(0));
        BodyInspector.Estimate unlimited = inspect(
                BodyInspector.Endpoint.CHAT_COMPLETIONS,
                "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(0, unlimited.reservedOutputTokens());
        assertEquals(unlimited.promptTokens() + 1024, unlimited.reservation(1024));
        assertEquals(Optional.of("openai/gpt-4o"), unlimited.model());
        assertEquals(
                Optional.empty(),
                inspect(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"model\":\"" + "m".repeat(300) + "\"}")
                        .model());
        assertEquals(
                2,
                inspect(BodyInspector.Endpoint.EMBEDDINGS, "{\"input\":\"abcdefgh\"}")
                        .promptTokens());
    }

    @Test
    void structuralLimitsAreEnforced() {
        assertRejected(
                BodyInspector.Endpoint.CHAT_COMPLETIONS,
                "{\"model\":\"m\",\"messages\":" + "[{\"content\":[[[[[[[[\"deep\"]]]]]]]]}]}",
                400,
                "json_too_deep");
        assertRejected(
                BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"messages\":[{},{},{},{}]}", 400, "too_many_messages");
        assertRejected(
                BodyInspector.Endpoint.EMBEDDINGS,
                "{\"input\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}",
                400,
                "too_many_inputs");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"messages\":{}}", 400, "invalid_type");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"max_tokens\":\"lots\"}", 400, "invalid_type");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"max_tokens\":99999999999999}", 400, "invalid_type");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"n\":-1}", 400, "invalid_type");
    }

    @Test
    void zeroCountsPassTheEdgeForRoutingToJudge() throws Rejection {
        // Non-negative is all the edge checks; whether n or max_tokens may be 0 is the model's rule, routing's to say.
        BodyInspector.Estimate zero =
                inspect(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"model\":\"gpt-4o\",\"n\":0,\"max_tokens\":0}");
        assertEquals(0, zero.reservedOutputTokens());
    }

    @Test
    void aJsonErrorSaysWhere() {
        Rejection r = assertThrows(
                Rejection.class, () -> inspect(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\n  \"model\": gpt}"));
        assertEquals("invalid_json", r.code());
        assertTrue(r.getMessage().contains("(line 2, column "), r.getMessage());
    }

    @Test
    void onlyOneWellFormedUtf8JsonObjectIsAccepted() {
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "", 400, "invalid_json");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "[1,2]", 400, "invalid_json");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "null", 400, "invalid_json");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"a\":1}{\"b\":2}", 400, "invalid_json");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"a\":1,}", 400, "invalid_json");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{'a':1}", 400, "invalid_json");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"a\":NaN}", 400, "invalid_json");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"a\":\"tab\there\"}", 400, "invalid_json");
        assertRejected(
                BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"model\":\"a\",\"model\":\"b\"}", 400, "duplicate_field");
        assertRejected(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"a\":\"\\ud800\"}", 400, "invalid_encoding");
        // Jackson itself refuses a lone surrogate in a field name; either way it is a 400.
        assertEquals(
                400,
                assertThrows(Rejection.class, () -> inspect(BodyInspector.Endpoint.CHAT_COMPLETIONS, "{\"\\udc00\":1}"))
                        .status());
        byte[] latin1 = "{\"a\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertRejectedBytes(BodyInspector.Endpoint.CHAT_COMPLETIONS, latin1, 400, "invalid_encoding");
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
        assertRejectedBytes(BodyInspector.Endpoint.CHAT_COMPLETIONS, utf16, 400, "invalid_encoding");
        byte[] utf16WithBom = "\uFEFF{\"a\":1}".getBytes(StandardCharsets.UTF_16BE);
        assertRejectedBytes(BodyInspector.Endpoint.CHAT_COMPLETIONS, utf16WithBom, 400, "invalid_encoding");
        assertRejectedBytes(
                BodyInspector.Endpoint.CHAT_COMPLETIONS,
                new byte[] {(byte) 0xFF, (byte) 0xFE},
                400,
                "invalid_encoding");
        byte[] utf32 = {0, 0, 0, '{', 0, 0, 0, '}'};
        assertRejectedBytes(BodyInspector.Endpoint.CHAT_COMPLETIONS, utf32, 400, "invalid_encoding");
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertRejectedBytes(BodyInspector.Endpoint.CHAT_COMPLETIONS, overlong, 400, "invalid_encoding");
    }

    /** Thousands of mutations of valid bodies: each is accepted or refused with a 4xx, never anything else. */
    @Test
    void mutatedBodiesNeverEscapeAsAnythingButARejection() {
        Random random = new Random(20261124L);
        byte[] seed = CHAT.getBytes(StandardCharsets.UTF_8);
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] mutated = Mutations.mutate(seed, random);
            try {
                INSPECTOR.inspect(BodyInspector.Endpoint.CHAT_COMPLETIONS, mutated);
            } catch (Rejection r) {
                assertTrue(r.status() >= 400 && r.status() < 500, "status " + r.status());
                rejected++;
            } catch (RuntimeException e) {
                fail("mutation " + i + " escaped as " + e, e);
            }
        }
        assertTrue(rejected > 10_000, "most mutations are malformed, only " + rejected + " were refused");
    }

    private static BodyInspector.Estimate inspect(BodyInspector.Endpoint endpoint, String body) throws Rejection {
        return INSPECTOR.inspect(endpoint, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRejected(BodyInspector.Endpoint endpoint, String body, int status, String code) {
        assertRejectedBytes(endpoint, body.getBytes(StandardCharsets.UTF_8), status, code);
    }

    private static void assertRejectedBytes(BodyInspector.Endpoint endpoint, byte[] body, int status, String code) {
        Rejection r = assertThrows(
                Rejection.class,
                () -> INSPECTOR.inspect(endpoint, body),
                () -> new String(body, StandardCharsets.UTF_8));
        assertEquals(status, r.status(), r.getMessage());
        assertEquals(code, r.code(), r.getMessage());
    }
}
