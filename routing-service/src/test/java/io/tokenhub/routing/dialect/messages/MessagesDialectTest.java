package io.tokenhub.routing.dialect.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.routing.chat.StreamUsage;
import io.tokenhub.routing.dialect.ClientExchange;
import io.tokenhub.routing.dialect.ClientStream;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.providers.anthropic.AnthropicAdapter;
import io.tokenhub.routing.providers.openai.OpenAiAdapter;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Messages dialect over fixtures (see {@code src/test/resources/messages/README.md}): Anthropic's request to Chat
 * Completions and on to Claude's native request, and Claude's answer and stream, read into Chat Completions by the
 * Anthropic adapter, back out as Anthropic's message and stream events.
 */
class MessagesDialectTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());
    private static final AnthropicAdapter CLAUDE =
            new AnthropicAdapter(JSON, Clock.fixed(Instant.ofEpochSecond(1741569952), ZoneOffset.UTC));

    @Test
    void requestTranslatesToChatCompletions() {
        ChatRequest chat = read("messages/request.json");
        assertEquals(tree("messages/chat-request.json"), chat.body());
    }

    /**
     * A Claude model gets back the request the client wrote, its {@code cache_control} breakpoints, thinking and the
     * signed thinking of the earlier turn included, but for what is documented as dropped: {@code top_k} (a hint).
     */
    @Test
    void claudeGetsTheClientsRequestBack() throws IOException {
        ChatRequest chat = read("messages/request.json");
        CatalogModel model = CATALOG.resolve(chat.model()).orElseThrow().model();
        JsonNode sent = JSON.readTree(CLAUDE.toNativeRequest(chat, model, "key").body());
        ObjectNode expected = (ObjectNode) tree("messages/request.json");
        expected.put("model", model.providerModel());
        expected.remove("top_k");
        assertEquals(expected, sent);
    }

    @Test
    void claudesAnswerComesBackAsClaudeSentIt() throws IOException {
        ChatRequest chat = read("messages/request.json");
        CatalogModel model = CATALOG.resolve(chat.model()).orElseThrow().model();
        byte[] completion = CLAUDE.toOpenAiResponse(chat, model, bytes("fixtures/anthropic/native-response.json"))
                .body();
        JsonNode answer = JSON.readTree(exchange("messages/request.json").answer(completion));
        ObjectNode expected = (ObjectNode) tree("fixtures/anthropic/native-response.json");
        // The field TokenHub has no source for in a chat answer: the tier.
        ObjectNode usage = (ObjectNode) expected.get("usage");
        usage.remove("service_tier");
        assertEquals(expected, answer);
    }

    /** Thinking, redacted thinking and text come back in Claude's order, signatures unchanged. */
    @Test
    void claudesThinkingAnswerComesBackAsClaudeSentIt() throws IOException {
        ChatRequest chat = read("messages/request.json");
        CatalogModel model = CATALOG.resolve(chat.model()).orElseThrow().model();
        byte[] completion = CLAUDE.toOpenAiResponse(
                        chat, model, bytes("fixtures/anthropic/native-response-thinking.json"))
                .body();
        JsonNode answer = JSON.readTree(exchange("messages/request.json").answer(completion));
        assertEquals(tree("fixtures/anthropic/native-response-thinking.json"), answer);
    }

    /** A thinking stream comes back as Claude's thinking_delta, signature_delta and redacted_thinking events. */
    @Test
    void claudesThinkingStreamComesBackAsClaudeSentIt() {
        List<JsonNode> ours = events(streamed("fixtures/anthropic/stream-openai-thinking-with-usage.sse"));
        List<JsonNode> claudes = events(text("fixtures/anthropic/stream-native-thinking.sse"));
        assertEquals(withoutPings(types(claudes)), withoutPings(types(ours)));
        for (JsonNode event : ours) {
            if (event.path("type").asText().startsWith("content_block")) {
                assertEquals(find(claudes, event), event);
            }
        }
        assertEquals(
                61,
                ours.get(ours.size() - 2).path("usage").path("output_tokens").asInt());
    }

    /**
     * Gemini's thought signatures (reasoning_details of format google-gemini-v1) are no Messages block: a Gemini answer
     * and stream come out with their text and tool calls only, never as thinking a client would send to Claude.
     */
    @Test
    void geminiSignaturesAreNoBlocks() throws IOException {
        byte[] completion = bytes("fixtures/google/openai-response-signatures.json");
        JsonNode answer = JSON.readTree(exchange("messages/request.json").answer(completion));
        List<String> blocks = new ArrayList<>();
        answer.path("content").forEach(block -> blocks.add(block.path("type").asText()));
        assertEquals(List.of("text", "tool_use", "tool_use"), blocks, answer.toString());

        String streamed = streamed("fixtures/google/stream-openai-signatures.sse");
        List<String> started = new ArrayList<>();
        for (JsonNode event : events(streamed)) {
            if (event.path("type").asText().equals("content_block_start")) {
                started.add(event.path("content_block").path("type").asText());
            }
        }
        assertEquals(List.of("text", "tool_use", "tool_use"), started, streamed);
    }

    /** Anthropic's own checks of a thinking budget, whichever model answers. */
    @Test
    void thinkingBudgetsAreCheckedAsAnthropicChecksThem() {
        String small = "{\"model\":\"o3\",\"max_tokens\":4096,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1023}}";
        InvalidRequestException tooSmall = assertThrows(
                InvalidRequestException.class, () -> MessagesDialect.INSTANCE.read(JSON, small.getBytes()));
        assertEquals(
                "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
                tooSmall.error().message());
        String over = small.replace("1023", "4096");
        InvalidRequestException overMax =
                assertThrows(InvalidRequestException.class, () -> MessagesDialect.INSTANCE.read(JSON, over.getBytes()));
        assertTrue(overMax.error().message().startsWith("max_tokens: must be greater than thinking.budget_tokens"));
        ChatRequest fits = MessagesDialect.INSTANCE
                .read(JSON, small.replace("1023", "4095").getBytes())
                .chat();
        assertEquals("low", fits.body().path("reasoning_effort").asText());
    }

    /** Another provider's model gets neither Claude's thinking settings nor its signed blocks, only the effort. */
    @Test
    void otherProvidersGetNoClaudeThinking() throws IOException {
        ObjectNode request = (ObjectNode) tree("messages/request.json");
        request.put("model", "o3");
        request.remove("temperature");
        ChatRequest chat = MessagesDialect.INSTANCE
                .read(JSON, JSON.writeValueAsBytes(request))
                .chat();
        CatalogModel model = CATALOG.resolve("o3").orElseThrow().model();
        JsonNode sent = JSON.readTree(
                new OpenAiAdapter(JSON).toNativeRequest(chat, model, "key").body());
        assertTrue(sent.path("thinking").isMissingNode(), sent.toString());
        assertEquals("low", sent.path("reasoning_effort").asText());
        sent.path("messages")
                .forEach(m -> assertTrue(m.path("reasoning_details").isMissingNode(), m.toString()));
        assertEquals(
                "I'll check the current weather in San Francisco for you.",
                sent.path("messages").path(2).path("content").asText());
    }

    @Test
    void answerCarriesTheCostExactly() throws IOException {
        String completion = """
                {"id":"chatcmpl-AB1","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,
                          "prompt_tokens_details":{"cached_tokens":4},
                          "cost":0.00001230,"cost_details":{"provider_cost":0.00000230,"routing_fee":0.00001}}}
                """;
        String answer = new String(
                exchange("messages/request.json").answer(completion.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        JsonNode message = JSON.readTree(answer);
        assertEquals("msg_chatcmplAB1", message.path("id").asText());
        assertEquals("max_tokens", message.path("stop_reason").asText());
        assertEquals(6, message.path("usage").path("input_tokens").asInt());
        assertEquals(4, message.path("usage").path("cache_read_input_tokens").asInt());
        assertTrue(answer.contains("\"cost\":0.00001230"), answer);
    }

    /** Claude's stream, through the adapter's chat chunks, comes back as Claude's events (ping aside). */
    @Test
    void claudesStreamComesBackAsClaudeSentIt() {
        List<JsonNode> ours = events(streamed("fixtures/anthropic/stream-openai-with-usage.sse"));
        // The adapter drops the empty first input fragment Claude sends: it adds nothing to the input.
        List<JsonNode> claudes = events(text("fixtures/anthropic/stream-native.sse")).stream()
                .filter(e -> !e.path("delta").path("partial_json").asText("-").isEmpty())
                .toList();
        assertEquals(withoutPings(types(claudes)), withoutPings(types(ours)));
        for (int i = 0; i < ours.size(); i++) {
            JsonNode event = ours.get(i);
            if (event.path("type").asText().startsWith("content_block")) {
                assertEquals(find(claudes, event), event);
            }
        }
        JsonNode delta = ours.get(ours.size() - 2);
        assertEquals("tool_use", delta.path("delta").path("stop_reason").asText());
        assertEquals(96, delta.path("usage").path("input_tokens").asInt());
        assertEquals(1024, delta.path("usage").path("cache_read_input_tokens").asInt());
    }

    @Test
    void failureAfterTheFirstByteIsAnErrorEvent() {
        ClientStream stream = exchange("messages/request.json").stream();
        Buffer out = Buffer.buffer();
        stream.chunk("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}", out);
        stream.error(OpenAiError.badGateway("Overloaded").toJson(), out);
        List<JsonNode> events = events(out.toString());
        JsonNode last = events.get(events.size() - 1);
        assertEquals("error", last.path("type").asText());
        assertEquals("api_error", last.path("error").path("type").asText());
        assertEquals("Overloaded", last.path("error").path("message").asText());
        assertTrue(out.toString().contains("event: error\ndata: "));
    }

    @Test
    void errorsTakeAnthropicsShapeAndType() throws IOException {
        JsonNode body = JSON.readTree(MessagesDialect.INSTANCE.errorBody(OpenAiError.modelNotFound("nope")));
        assertEquals("error", body.path("type").asText());
        assertEquals("not_found_error", body.path("error").path("type").asText());
        assertEquals(
                "overloaded_error",
                JSON.readTree(MessagesDialect.INSTANCE.errorBody(OpenAiError.unavailable("x")))
                        .path("error")
                        .path("type")
                        .asText());
    }

    @Test
    void unknownFieldsAndMissingMaxTokensAreRefused() {
        InvalidRequestException unknown = assertThrows(
                InvalidRequestException.class,
                () -> MessagesDialect.INSTANCE.read(
                        JSON, "{\"model\":\"gpt-4o\",\"max_tokens\":5,\"messages\":[],\"bogus\":1}".getBytes()));
        assertEquals(400, unknown.error().status());
        assertTrue(unknown.error().message().contains("bogus"));
        InvalidRequestException noMax = assertThrows(
                InvalidRequestException.class,
                () -> MessagesDialect.INSTANCE.read(
                        JSON,
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes()));
        assertTrue(noMax.error().message().startsWith("max_tokens"));
        InvalidRequestException serverTool = assertThrows(
                InvalidRequestException.class,
                () -> MessagesDialect.INSTANCE.read(
                        JSON,
                        ("{\"model\":\"gpt-4o\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                                        + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}")
                                .getBytes()));
        assertTrue(serverTool.error().message().contains("web_search_20250305"));
    }

    @Test
    void countTokensReadsThePromptWithoutMaxTokens() throws IOException {
        ObjectNode request = (ObjectNode) tree("messages/request.json");
        request.remove(List.of("max_tokens", "stop_sequences", "temperature", "top_k", "metadata"));
        ChatRequest chat = MessagesDialect.COUNT_TOKENS
                .read(JSON, JSON.writeValueAsBytes(request))
                .chat();
        long tokens = StreamUsage.promptTokens(chat.body());
        assertTrue(tokens > 20, "estimate " + tokens);
        assertEquals(
                "{\"input_tokens\":" + tokens + "}",
                new String(MessagesDialect.tokenCount(tokens), StandardCharsets.UTF_8));
        assertThrows(
                InvalidRequestException.class,
                () -> MessagesDialect.COUNT_TOKENS.read(JSON, bytes("messages/request.json")));
    }

    /** A chat stream's chunks (an SSE resource) through the Messages dialect: the events the client gets. */
    private static String streamed(String resource) {
        ClientStream stream = exchange("messages/request.json").stream();
        Buffer out = Buffer.buffer();
        for (String payload : dataLines(text(resource))) {
            if (!payload.equals("[DONE]")) {
                stream.chunk(payload, out);
            }
        }
        stream.done(out);
        return out.toString();
    }

    private static ClientExchange exchange(String resource) {
        return MessagesDialect.INSTANCE.read(JSON, bytes(resource));
    }

    private static ChatRequest read(String resource) {
        return exchange(resource).chat();
    }

    private static JsonNode find(List<JsonNode> events, JsonNode like) {
        return events.stream()
                .filter(e -> e.path("type").equals(like.path("type"))
                        && e.path("index").equals(like.path("index"))
                        && e.path("delta").equals(like.path("delta")))
                .findFirst()
                .orElse(null);
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    private static List<String> withoutPings(List<String> types) {
        return types.stream().filter(t -> !t.equals("ping")).toList();
    }

    /** The events of an Anthropic stream, each checked to be named as its {@code type} says. */
    private static List<JsonNode> events(String sse) {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String[] lines = frame.split("\n");
            JsonNode data = parse(lines[1].substring("data: ".length()));
            assertEquals(
                    lines[0].substring("event: ".length()), data.path("type").asText());
            events.add(data);
        }
        return events;
    }

    private static List<String> dataLines(String sse) {
        return sse.lines()
                .filter(l -> l.startsWith("data: "))
                .map(l -> l.substring("data: ".length()))
                .toList();
    }

    private static JsonNode tree(String resource) {
        return parse(text(resource));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = MessagesDialectTest.class.getResourceAsStream("/" + resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
