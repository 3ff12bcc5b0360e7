package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.frames;
import static io.tokenhub.routing.it.RoutingIt.internal;
import static io.tokenhub.routing.it.RoutingIt.usageEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.RecordedRequest;
import io.tokenhub.simulator.SimulatorServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every provider through routing-service against its simulator, which speaks the provider's real wire format and
 * refuses what the real API refuses (Anthropic's tool_result pairing, Gemini's function-response count and names,
 * Mistral's unknown fields and 9-character ids): answers, streams with and without the usage chunk, the tool-call
 * round trip, JSON output, images, cached tokens, provider errors and broken streams, each one billed on real Kafka.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class ProvidersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Provider-pinned names, so every request is answered by the provider under test. */
    private static final Map<String, String> MODEL = Map.of(
            "openai",
            "openai/gpt-4o-mini",
            "anthropic",
            "anthropic/claude-sonnet-4-5",
            "google",
            "google/gemini-2.5-pro",
            "mistral",
            "mistral/mistral-small-latest",
            "meta",
            "meta/llama-3.3-70b");
    /** Where each provider's chat request must land, under the simulator's SDK base URL. */
    private static final Map<String, String> NATIVE_PATH = Map.of(
            "openai",
            "/v1/chat/completions",
            "anthropic",
            "/v1/messages",
            "google",
            "/v1beta/models/gemini-2.5-pro:generateContent",
            "mistral",
            "/v1/chat/completions",
            "meta",
            "/compat/v1/chat/completions");

    private static final String QUESTION = "What is the weather in Paris and Tokyo?";
    private static final String WEATHER_TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}}}";

    @AfterEach
    void normalSimulators() {
        SimulatorServer.DEFAULT_PORTS.keySet().forEach(simulators()::reset);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "google", "mistral", "meta"})
    void answersInOpenAiShapeAndBillsWhatTheProviderCounted(String provider) throws Exception {
        String requestId = "it-" + UUID.randomUUID();
        Response response =
                internal(requestId).body(chat(provider, false, false, null)).post("/v1/chat/completions");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(provider, response.header(TokenHubHeaders.PROVIDER));
        JsonNode body = JSON.readTree(response.asString());
        assertEquals("chat.completion", body.path("object").asText());
        assertFalse(body.path("id").asText().isEmpty());
        assertTrue(body.path("created").asLong() > 1_700_000_000L);
        JsonNode choice = body.path("choices").get(0);
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertEquals(
                Behaviour.DEFAULT_REPLY, choice.path("message").path("content").asText());
        assertEquals("stop", choice.path("finish_reason").asText());
        assertEquals(
                promptTokens(QUESTION), body.path("usage").path("prompt_tokens").asLong());
        assertEquals(
                tokens(Behaviour.DEFAULT_REPLY),
                body.path("usage").path("completion_tokens").asLong());

        RecordedRequest sent = simulators().lastRequest(provider).orElseThrow();
        assertEquals(NATIVE_PATH.get(provider), sent.path());
        String key = "sim-" + provider + "-key";
        switch (provider) {
            case "anthropic" -> assertEquals(key, sent.header("x-api-key"));
            case "google" -> assertEquals(key, sent.header("x-goog-api-key"));
            default -> assertEquals("Bearer " + key, sent.header("authorization"));
        }

        UsageEvent event = usageEvent(requestId);
        assertEquals(provider, event.provider());
        assertEquals(RequestStatus.SUCCEEDED, event.status());
        assertEquals(promptTokens(QUESTION), event.inputTokens());
        assertEquals(tokens(Behaviour.DEFAULT_REPLY), event.outputTokens());
        assertEquals(0, event.cachedTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "google", "mistral", "meta"})
    void streamsChunksAndSendsTheUsageChunkOnlyWhenAsked(String provider) throws Exception {
        String plainId = "it-" + UUID.randomUUID();
        String plain = internal(plainId)
                .body(chat(provider, true, false, null))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, provider)
                .extract()
                .asString();
        List<String> frames = frames(plain);
        assertEquals("data: [DONE]", frames.get(frames.size() - 1));
        assertFalse(plain.contains("\"usage\""), "no usage field for a client that did not ask: " + plain);
        assertEquals(Behaviour.DEFAULT_REPLY, content(frames));
        assertEquals(List.of("stop"), finishReasons(frames));
        assertSameIdEverywhere(frames);
        UsageEvent billed = usageEvent(plainId);
        assertEquals(promptTokens(QUESTION), billed.inputTokens(), "a stream is billed even without the usage chunk");
        assertEquals(tokens(Behaviour.DEFAULT_REPLY), billed.outputTokens());
        assertTrue(billed.streamed());

        String withUsage = internal("it-" + UUID.randomUUID())
                .body(chat(provider, true, true, null))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> usageFrames = frames(withUsage);
        JsonNode usageChunk = data(usageFrames.get(usageFrames.size() - 2));
        assertTrue(usageChunk.path("choices").isArray()
                && usageChunk.path("choices").isEmpty());
        assertEquals(
                promptTokens(QUESTION),
                usageChunk.path("usage").path("prompt_tokens").asLong());
        assertEquals(
                tokens(Behaviour.DEFAULT_REPLY),
                usageChunk.path("usage").path("completion_tokens").asLong());
        assertTrue(
                data(usageFrames.get(0)).has("usage")
                        && data(usageFrames.get(0)).get("usage").isNull(),
                "with the usage chunk asked for, every other chunk says usage: null, as OpenAI does");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "google", "mistral", "meta"})
    void toolCallsAndTheirResultsMakeTheRoundTrip(String provider) throws Exception {
        simulators().behave(provider, weatherCalls());
        Response first = internal("it-" + UUID.randomUUID())
                .body(chat(provider, false, false, "\"tools\":[" + WEATHER_TOOL + "]"))
                .post("/v1/chat/completions");
        assertEquals(200, first.statusCode(), first.asString());
        JsonNode choice = JSON.readTree(first.asString()).path("choices").get(0);
        assertEquals("tool_calls", choice.path("finish_reason").asText());
        JsonNode calls = choice.path("message").path("tool_calls");
        assertEquals(2, calls.size());
        for (JsonNode call : calls) {
            assertFalse(call.path("id").asText().isEmpty(), "every call has an id to answer");
            assertEquals("function", call.path("type").asText());
            assertEquals("get_weather", call.path("function").path("name").asText());
        }
        assertEquals(
                "Paris",
                JSON.readTree(calls.get(0).path("function").path("arguments").asText())
                        .path("city")
                        .asText());

        // The client answers each call by its id, as the OpenAI SDK does; the simulator refuses a bad pairing.
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", QUESTION);
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        assistant.putNull("content");
        assistant.set("tool_calls", calls);
        messages.addObject()
                .put("role", "tool")
                .put("tool_call_id", calls.get(0).path("id").asText())
                .put("content", "18C, light rain");
        messages.addObject()
                .put("role", "tool")
                .put("tool_call_id", calls.get(1).path("id").asText())
                .put("content", "24C, sunny");
        String second = "{\"model\":\"" + MODEL.get(provider) + "\",\"messages\":" + messages + ",\"tools\":["
                + WEATHER_TOOL + "]}";
        Response answer = internal("it-" + UUID.randomUUID()).body(second).post("/v1/chat/completions");
        assertEquals(200, answer.statusCode(), answer.asString());
        JsonNode answered = JSON.readTree(answer.asString()).path("choices").get(0);
        assertEquals(
                "The tool returned: 18C, light rain\n24C, sunny",
                answered.path("message").path("content").asText());
        assertEquals("stop", answered.path("finish_reason").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "google", "mistral", "meta"})
    void streamedToolCallsCarryOneIndexPerCall(String provider) throws Exception {
        simulators().behave(provider, weatherCalls());
        String sse = internal("it-" + UUID.randomUUID())
                .body(chat(provider, true, false, "\"tools\":[" + WEATHER_TOOL + "]"))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> frames = frames(sse);
        assertEquals("data: [DONE]", frames.get(frames.size() - 1));
        Map<Integer, StringBuilder> arguments = new TreeMap<>();
        List<String> ids = new ArrayList<>();
        for (String frame : frames.subList(0, frames.size() - 1)) {
            for (JsonNode call :
                    data(frame).path("choices").path(0).path("delta").path("tool_calls")) {
                assertTrue(call.has("index"), "OpenAI requires the index on every tool-call delta: " + frame);
                int index = call.get("index").asInt();
                if (call.has("id")) {
                    ids.add(call.get("id").asText());
                    assertEquals(
                            "get_weather", call.path("function").path("name").asText());
                }
                arguments
                        .computeIfAbsent(index, i -> new StringBuilder())
                        .append(call.path("function").path("arguments").asText(""));
            }
        }
        assertEquals(2, ids.size(), sse);
        assertEquals(List.of(0, 1), new ArrayList<>(arguments.keySet()));
        assertEquals(
                "Paris", JSON.readTree(arguments.get(0).toString()).path("city").asText());
        assertEquals(
                "Tokyo", JSON.readTree(arguments.get(1).toString()).path("city").asText());
        assertEquals(List.of("tool_calls"), finishReasons(frames));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "google", "mistral"})
    void cachedPromptTokensAreReportedAndBilledWithOpenAiSemantics(String provider) throws Exception {
        simulators()
                .behave(
                        provider,
                        Behaviour.builder()
                                .cachedTokens(4)
                                .cacheCreationTokens(2)
                                .build());
        String requestId = "it-" + UUID.randomUUID();
        Response response =
                internal(requestId).body(chat(provider, false, false, null)).post("/v1/chat/completions");
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode usage = JSON.readTree(response.asString()).path("usage");
        assertEquals(
                promptTokens(QUESTION),
                usage.path("prompt_tokens").asLong(),
                "the prompt counts cached tokens (Anthropic's input_tokens does not)");
        assertEquals(
                4, usage.path("prompt_tokens_details").path("cached_tokens").asLong());
        UsageEvent event = usageEvent(requestId);
        assertEquals(promptTokens(QUESTION), event.inputTokens());
        assertEquals(4, event.cachedTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "google", "mistral", "meta"})
    void jsonResponseFormatsComeBackAsJsonContent(String provider) throws Exception {
        if (provider.equals("anthropic")) {
            // Claude 3 has no JSON mode: TokenHub forces its JSON tool, whose input is the answer.
            simulators()
                    .behave(
                            provider,
                            Behaviour.builder()
                                    .toolCall("json_response", JSON.readTree("{\"city\":\"Paris\"}"))
                                    .build());
        }
        Response response = internal("it-" + UUID.randomUUID())
                .body(chat(
                        provider,
                        false,
                        false,
                        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"place\",\"schema\":"
                                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                                + "\"required\":[\"city\"]}}}"))
                .post("/v1/chat/completions");
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode choice = JSON.readTree(response.asString()).path("choices").get(0);
        assertTrue(
                JSON.readTree(choice.path("message").path("content").asText())
                        .path("city")
                        .isTextual(),
                choice.toString());
        assertEquals("stop", choice.path("finish_reason").asText());
        assertTrue(choice.path("message").path("tool_calls").isMissingNode());
        if (provider.equals("anthropic")) {
            // What Anthropic was asked, per https://docs.claude.com/en/docs/build-with-claude/tool-use: the JSON tool
            // forced, its input schema the client's schema.
            JsonNode sent = simulators().lastRequest(provider).orElseThrow().bodyJson();
            assertEquals("tool", sent.path("tool_choice").path("type").asText(), sent.toString());
            assertEquals("json_response", sent.path("tool_choice").path("name").asText());
            JsonNode tool = sent.path("tools").get(0);
            assertEquals("json_response", tool.path("name").asText());
            assertEquals(
                    JSON.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                            + "\"required\":[\"city\"]}"),
                    tool.path("input_schema"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "google", "mistral", "meta"})
    void providerErrorsReachTheClientAsOpenAiErrorsWithTheirRetryHints(String provider) {
        simulators().behave(provider, Behaviour.builder().errorStatus(429).build());
        Response limited = internal("it-" + UUID.randomUUID())
                .body(chat(provider, false, false, null))
                .post("/v1/chat/completions");
        assertEquals(429, limited.statusCode(), limited.asString());
        assertEquals("rate_limit_exceeded", limited.path("error.code"));
        // Mistral sends no retry hint; Google's is in the body and becomes the header.
        assertEquals(provider.equals("mistral") ? null : "2", limited.header("retry-after"));

        simulators().behave(provider, Behaviour.builder().errorStatus(500).build());
        Response broken = internal("it-" + UUID.randomUUID())
                .body(chat(provider, false, false, null))
                .post("/v1/chat/completions");
        assertEquals(502, broken.statusCode());
        assertEquals("server_error", broken.path("error.type"));

        simulators().behave(provider, Behaviour.builder().errorStatus(400).build());
        assertEquals(
                400,
                internal("it-" + UUID.randomUUID())
                        .body(chat(provider, false, false, null))
                        .post("/v1/chat/completions")
                        .statusCode());

        simulators().behave(provider, Behaviour.builder().errorStatus(401).build());
        Response credentials = internal("it-" + UUID.randomUUID())
                .body(chat(provider, false, false, null))
                .post("/v1/chat/completions");
        assertEquals(502, credentials.statusCode(), "the provider key is TokenHub's problem, not the client's");
        assertEquals("provider_auth_error", credentials.path("error.code"));
        assertFalse(credentials.asString().contains("sim-" + provider + "-key"));
    }

    @Test
    void anthropicOverloadIsAServiceUnavailableAndMistralValidationABadRequest() {
        simulators().behave("anthropic", Behaviour.builder().errorStatus(529).build());
        Response overloaded = internal("it-" + UUID.randomUUID())
                .body(chat("anthropic", false, false, null))
                .post("/v1/chat/completions");
        assertEquals(503, overloaded.statusCode());
        assertEquals("Overloaded", overloaded.path("error.message"));

        simulators().behave("mistral", Behaviour.builder().errorStatus(422).build());
        Response invalid = internal("it-" + UUID.randomUUID())
                .body(chat("mistral", false, false, null))
                .post("/v1/chat/completions");
        assertEquals(400, invalid.statusCode());
        assertEquals("invalid_request_error", invalid.path("error.type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "google", "mistral", "meta"})
    void aStreamBrokenByTheProviderEndsWithAnErrorEventNeverACleanEnd(String provider) throws Exception {
        simulators().behave(provider, Behaviour.builder().failMidStream().build());
        String requestId = "it-" + UUID.randomUUID();
        String failed = internal(requestId)
                .body(chat(provider, true, false, null))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> frames = frames(failed);
        assertTrue(data(frames.get(frames.size() - 1)).has("error"), failed);
        assertFalse(failed.contains("[DONE]"));
        assertEquals(RequestStatus.PROVIDER_ERROR, usageEvent(requestId).status());

        // Paced, so the connection drops while the relay is streaming: the scenario this test is about. A drop that
        // lands before the relay is attached is a separate race (see the closing note).
        simulators()
                .behave(
                        provider,
                        Behaviour.builder().dropMidStream().chunkDelayMs(20).build());
        String dropped = internal("it-" + UUID.randomUUID())
                .body(chat(provider, true, false, null))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> droppedFrames = frames(dropped);
        assertTrue(data(droppedFrames.get(droppedFrames.size() - 1)).has("error"), dropped);
        assertFalse(dropped.contains("[DONE]"));
    }

    @Test
    void imagesReachEachProviderInItsOwnFormat() throws Exception {
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhK"
                + "mMIQAAAABJRU5ErkJggg==";
        String content = "[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"" + png + "\"}}]";
        Map<String, String> models = Map.of(
                "openai",
                "gpt-4o-mini",
                "anthropic",
                "claude-sonnet-4-5",
                "google",
                "gemini-2.5-pro",
                "mistral",
                "mistral-small-latest");
        for (Map.Entry<String, String> entry : models.entrySet()) {
            internal("it-" + UUID.randomUUID())
                    .body("{\"model\":\"" + entry.getValue() + "\",\"messages\":[{\"role\":" + "\"user\",\"content\":"
                            + content + "}]}")
                    .post("/v1/chat/completions")
                    .then()
                    .statusCode(200);
        }
        JsonNode anthropic = simulators().lastRequest("anthropic").orElseThrow().bodyJson();
        JsonNode source =
                anthropic.path("messages").get(0).path("content").get(1).path("source");
        assertEquals("base64", source.path("type").asText());
        assertEquals("image/png", source.path("media_type").asText());
        JsonNode google = simulators().lastRequest("google").orElseThrow().bodyJson();
        assertEquals(
                "image/png",
                google.path("contents")
                        .get(0)
                        .path("parts")
                        .get(1)
                        .path("inlineData")
                        .path("mimeType")
                        .asText());
        for (String openAiShaped : List.of("openai", "mistral")) {
            JsonNode sent = simulators().lastRequest(openAiShaped).orElseThrow().bodyJson();
            assertEquals(
                    png,
                    sent.path("messages")
                            .get(0)
                            .path("content")
                            .get(1)
                            .path("image_url")
                            .path("url")
                            .asText());
        }
        internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"llama-3.3-70b\",\"messages\":[{\"role\":\"user\"," + "\"content\":" + content
                        + "}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400);
    }

    @Test
    void requestsAProviderCannotTakeAreRefusedBeforeAnyCall() {
        Response n = internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"claude-haiku-4-5\",\"n\":2,\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals(400, n.statusCode());
        assertEquals("n", n.path("error.param"));
        Response url = internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"gemini-2.5-flash\",\"messages\":[{"
                        + "\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":"
                        + "\"https://example.com/a.png\"}}]}]}")
                .post("/v1/chat/completions");
        assertEquals(400, url.statusCode());
        Response embeddings = internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"mistral-embed\",\"messages\":" + "[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals(400, embeddings.statusCode());
        assertEquals("model_capability_missing", embeddings.path("error.code"));
        assertEquals(
                0,
                simulators().requestCount("anthropic")
                        + simulators().requestCount("google")
                        + simulators().requestCount("mistral"),
                "no provider was called");
    }

    private static Behaviour weatherCalls() throws Exception {
        return Behaviour.builder()
                .toolCall("get_weather", JSON.readTree("{\"city\":\"Paris\"}"))
                .toolCall("get_weather", JSON.readTree("{\"city\":\"Tokyo\"}"))
                .build();
    }

    private static String chat(String provider, boolean stream, boolean includeUsage, String extra) {
        return "{\"model\":\"" + MODEL.get(provider) + "\",\"stream\":" + stream
                + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + (extra == null ? "" : "," + extra)
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
    }

    /** The simulators' token rule: one token per started group of four characters. */
    private static long tokens(String text) {
        return (text.length() + 3) / 4;
    }

    /** The simulators' prompt rule for one user message: 3 + 3 + its tokens. */
    private static long promptTokens(String text) {
        return 6 + tokens(text);
    }

    private static JsonNode data(String frame) throws Exception {
        assertTrue(frame.startsWith("data: "), frame);
        return JSON.readTree(frame.substring("data: ".length()));
    }

    private static String content(List<String> frames) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String frame : frames.subList(0, frames.size() - 1)) {
            JsonNode chunk = data(frame);
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            text.append(
                    chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        return text.toString();
    }

    private static List<String> finishReasons(List<String> frames) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (String frame : frames.subList(0, frames.size() - 1)) {
            JsonNode reason = data(frame).path("choices").path(0).path("finish_reason");
            if (reason.isTextual()) {
                reasons.add(reason.asText());
            }
        }
        return reasons;
    }

    private static void assertSameIdEverywhere(List<String> frames) throws Exception {
        String id = data(frames.get(0)).path("id").asText();
        assertFalse(id.isEmpty());
        for (String frame : frames.subList(0, frames.size() - 1)) {
            assertEquals(id, data(frame).path("id").asText());
        }
        assertNull(data(frames.get(0)).get("usage"));
    }

    private static SimulatorServer simulators() {
        return SimulatorTestResource.server();
    }
}
