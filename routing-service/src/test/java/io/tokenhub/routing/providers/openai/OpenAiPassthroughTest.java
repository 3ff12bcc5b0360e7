package io.tokenhub.routing.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.SourceSpans;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat body OpenAI gets is spliced from the client's bytes and the few fields the adapter changes; it must say
 * exactly what the whole request written out again said, and carry the client's bytes where nothing changed.
 */
class OpenAiPassthroughTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CatalogModel MODEL =
            CatalogLoader.load(Optional.empty()).byId("gpt-4o-mini").orElseThrow();
    private static final String USER = "{\"role\": \"user\", \"content\": \"Hi\"}";

    static List<String> requests() {
        return List.of(
                "{\"model\":\"gpt-4o-mini\",\"messages\":[" + USER + "]}",
                // Escapes, unicode as such and as escapes, numbers in every spelling.
                """
                {"model": "gpt-4o-mini", "temperature": 1.0, "top_p": 1e-1, "seed": 1e3, "presence_penalty": -0.0,
                 "frequency_penalty": 0.10000000000000000555, "logit_bias": {"50256": -100},
                 "messages": [{"role": "user", "content": "caf\\u00e9 café 😀 \\ud83d\\ude00 \\"quoted\\" \\\\ \\/ \\n\\t"}]}""",
                // Pretty-printed, tabs and CRLF, nested content parts, an image.
                "{\r\n\t\"model\" :  \"gpt-4o-mini\" ,\r\n\t\"messages\" : [\r\n\t\t{ \"role\" : \"user\", \"content\" : "
                        + "[ {\"type\": \"text\", \"text\": \"look\"}, {\"type\": \"image_url\", \"image_url\": "
                        + "{\"url\": \"data:image/png;base64,iVBORw0KGgo=\", \"detail\": \"low\"}} ] }\r\n\t] ,\r\n"
                        + "\t\"n\" : 1 ,\r\n\t\"stop\" : [ \"\\n\" , \"END\" ]\r\n}\r\n",
                // Tools without marks, then with one on a tool only.
                """
                {"model": "gpt-4o-mini", "messages": [%s], "tool_choice": "auto", "parallel_tool_calls": false,
                 "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]}""".formatted(USER),
                """
                {"model": "gpt-4o-mini", "messages": [%s],
                 "tools": [{"type": "function", "function": {"name": "f"}, "cache_control": {"type": "ephemeral"}}]}""".formatted(USER),
                // Marks on a system message, on a content part, and a null one.
                """
                {"model": "gpt-4o-mini", "messages": [
                  {"role": "system", "content": "Be brief.", "cache_control": {"type": "ephemeral", "ttl": "1h"}},
                  {"role": "user", "content": [{"type": "text", "text": "long", "cache_control": {"type": "ephemeral"}}]},
                  {"role": "user", "content": "x", "cache_control": null}]}""",
                // Claude's reasoning handed back on an assistant turn.
                """
                {"model": "gpt-4o-mini", "messages": [%s,
                  {"role": "assistant", "content": "Hello", "reasoning_details": [{"type": "reasoning.text",
                   "text": "hm", "signature": "sig", "format": "anthropic-claude-v1", "index": 0}]},
                  {"role": "user", "content": "more"}]}""".formatted(USER),
                // max_tokens alone, beside max_completion_tokens, beside a null one.
                "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"messages\":[" + USER + "]}",
                "{\"max_tokens\":100,\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":50,\"messages\":[" + USER
                        + "]}",
                "{\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":null,\"max_tokens\":7,\"messages\":[" + USER
                        + "]}",
                // Streams, with and without the client's stream_options; a stream turned off.
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[" + USER + "]}",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
                        + "\"messages\":[" + USER + "],\"user\":\"u1\"}",
                "{\"model\":\"gpt-4o-mini\",\"stream\":false,\"stream_options\":null,\"messages\":[" + USER + "]}",
                // Withheld fields, OpenRouter's routing fields, a model taken from the list.
                "{\"store\":true,\"model\":\"gpt-4o-mini\",\"metadata\":{\"team\":\"a\"},\"messages\":[" + USER
                        + "],\"service_tier\":\"auto\"}",
                "{\"models\":[\"gpt-4o-mini\",\"gpt-4o\"],\"messages\":[" + USER
                        + "],\"provider\":{\"order\":[\"openai\"]},\"response_format\":{\"type\":\"json_object\"}}",
                "{\"model\":null,\"models\":[\"gpt-4o-mini\"],\"messages\":[" + USER + "]}",
                // A byte order mark before the object, and literals.
                "\uFEFF{\"model\":\"gpt-4o-mini\",\"logprobs\":true,\"prediction\":null,\"messages\":[" + USER + "]}");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void saysWhatTheRewrittenRequestSaid(String client) throws Exception {
        ChatRequest request = ChatRequest.parse(JSON, client.getBytes(StandardCharsets.UTF_8));
        String before = request.body().toString();

        byte[] sent =
                new OpenAiAdapter(JSON).toNativeRequest(request, MODEL, "k").body();

        assertEquals(JSON.readTree(JSON.writeValueAsBytes(rewritten(request))), JSON.readTree(sent), client);
        assertEquals(before, request.body().toString(), "the client's tree is shared with other attempts");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void translatedRequestsWithoutClientBytesSayTheSame(String client) throws Exception {
        ChatRequest parsed = ChatRequest.parse(JSON, client.getBytes(StandardCharsets.UTF_8));
        ChatRequest request = new ChatRequest(
                parsed.body(),
                parsed.model(),
                parsed.stream(),
                parsed.includeUsage(),
                parsed.routing(),
                SourceSpans.NONE);

        byte[] sent =
                new OpenAiAdapter(JSON).toNativeRequest(request, MODEL, "k").body();

        assertEquals(JSON.readTree(JSON.writeValueAsBytes(rewritten(request))), JSON.readTree(sent), client);
    }

    @Test
    void untouchedFieldsArriveAsTheClientWroteThem() throws Exception {
        String messages = "[ {\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"x\\\" \\u0041\"} ]";
        String client = "{\"model\":\"gpt-4o\", \"temperature\": 1e0, \"max_tokens\": 5, \"messages\": " + messages
                + ", \"store\": false}";

        String sent = new String(
                new OpenAiAdapter(JSON)
                        .toNativeRequest(ChatRequest.parse(JSON, client.getBytes(StandardCharsets.UTF_8)), MODEL, "k")
                        .body(),
                StandardCharsets.UTF_8);

        assertTrue(sent.contains("\"messages\":" + messages), sent);
        assertTrue(sent.contains("\"temperature\":1e0"), sent);
        assertTrue(sent.contains("\"model\":\"" + MODEL.providerModel() + "\""), sent);
        assertTrue(sent.contains("\"max_completion_tokens\":5"), sent);
    }

    /** Messages the adapter strips nothing from are not copied; a mark makes a copy, leaving the client's whole. */
    @Test
    void onlyWhatHoldsSomethingToStripIsCopied() throws Exception {
        ChatRequest request = ChatRequest.parse(JSON, """
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}],
                 "tools": [{"type": "function", "function": {"name": "f"}, "cache_control": {"type": "ephemeral"}}]}""".getBytes(StandardCharsets.UTF_8));
        JsonNode messages = request.body().get("messages");

        String sent = new String(
                new OpenAiAdapter(JSON).toNativeRequest(request, MODEL, "k").body(), StandardCharsets.UTF_8);

        assertTrue(sent.contains("\"messages\":[{\"role\": \"user\", \"content\": \"x\"}]"), sent);
        assertTrue(sent.contains("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"), sent);
        assertSame(messages, request.body().get("messages"));
        assertTrue(request.body().path("tools").get(0).has("cache_control"), "the client's tools keep their mark");
    }

    /** What the adapter sent before it spliced the client's bytes: the whole tree, copied, edited, written. */
    private static ObjectNode rewritten(ChatRequest request) {
        ObjectNode body = request.body().deepCopy();
        body.put("model", MODEL.providerModel());
        body.remove(List.of("store", "metadata", "thinking"));
        for (JsonNode message : body.path("messages")) {
            ((ObjectNode) message).remove("cache_control");
            ((ObjectNode) message).remove("reasoning_details");
            for (JsonNode part : message.path("content")) {
                if (part.isObject()) {
                    ((ObjectNode) part).remove("cache_control");
                }
            }
        }
        body.path("tools").forEach(tool -> ((ObjectNode) tool).remove("cache_control"));
        JsonNode maxTokens = body.remove("max_tokens");
        if (maxTokens != null && !body.hasNonNull("max_completion_tokens")) {
            body.set("max_completion_tokens", maxTokens);
        }
        if (request.stream()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }
}
