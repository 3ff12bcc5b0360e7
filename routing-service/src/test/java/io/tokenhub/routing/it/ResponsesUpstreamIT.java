package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.frames;
import static io.tokenhub.routing.it.RoutingIt.internal;
import static io.tokenhub.routing.it.RoutingIt.usageEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.RecordedRequest;
import io.tokenhub.simulator.SimulatorServer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The models OpenAI serves on its Responses API only reach the simulator's {@code POST /v1/responses} (which, like
 * OpenAI, answers a chat call for them with a 404), whichever API the client spoke, never stored at OpenAI, answered
 * in the client's shape and billed once at the published rate.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class ResponsesUpstreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "Which is the tallest tower in Paris?";

    @AfterEach
    void normalSimulator() {
        simulators().reset("openai");
    }

    @Test
    void aChatCompletionForO3ProIsAnsweredFromOpenAisResponsesApi() throws Exception {
        long before = simulators().requestCount("openai");
        String requestId = "it-" + UUID.randomUUID();
        Response response = internal(requestId)
                .body("{\"model\":\"o3-pro\",\"store\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION
                        + "\"}]}")
                .post("/v1/chat/completions");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("openai", response.header(TokenHubHeaders.PROVIDER));
        assertEquals("false", response.header(TokenHubHeaders.FALLBACK));
        JsonNode body = JSON.readTree(response.asString());
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals(
                Behaviour.DEFAULT_REPLY,
                body.path("choices").get(0).path("message").path("content").asText());
        assertEquals("stop", body.path("choices").get(0).path("finish_reason").asText());

        assertOneResponsesCall(before, false);
        UsageEvent event = assertBilledOnce(requestId, Api.CHAT_COMPLETIONS);
        assertEquals(0, cost(event).compareTo(new BigDecimal(response.header(TokenHubHeaders.COST_USD))));
    }

    @Test
    void aResponsesRequestForO3ProIsAnsweredFromOpenAisResponsesApi() throws Exception {
        long before = simulators().requestCount("openai");
        String requestId = "it-" + UUID.randomUUID();
        Response response = internal(requestId)
                .body("{\"model\":\"o3-pro\",\"instructions\":\"Be brief.\",\"input\":\"" + QUESTION + "\"}")
                .post("/v1/responses");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("openai", response.header(TokenHubHeaders.PROVIDER));
        JsonNode body = JSON.readTree(response.asString());
        assertEquals("response", body.path("object").asText());
        assertEquals("completed", body.path("status").asText());
        assertTrue(body.path("id").asText().startsWith("resp_"), body.path("id").asText());
        assertEquals(
                Behaviour.DEFAULT_REPLY,
                body.path("output").get(0).path("content").get(0).path("text").asText());

        RecordedRequest sent = assertOneResponsesCall(before, false);
        assertEquals("Be brief.", sent.bodyJson().path("instructions").asText());
        UsageEvent event = assertBilledOnce(requestId, Api.RESPONSES);
        assertEquals(0, cost(event).compareTo(new BigDecimal(response.header(TokenHubHeaders.COST_USD))));
        assertEquals(0, cost(event).compareTo(body.path("usage").path("cost").decimalValue()));
    }

    @Test
    void aStreamedChatCompletionForGpt5CodexIsTranslatedFromTheResponsesStream() throws Exception {
        long before = simulators().requestCount("openai");
        String requestId = "it-" + UUID.randomUUID();
        String sse = internal(requestId)
                .body("{\"model\":\"gpt-5-codex\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "openai")
                .extract()
                .asString();
        List<String> frames = frames(sse);
        assertEquals("data: [DONE]", frames.get(frames.size() - 1));
        StringBuilder text = new StringBuilder();
        for (String frame : frames.subList(0, frames.size() - 1)) {
            JsonNode chunk = JSON.readTree(frame.substring("data: ".length()));
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
            }
        }
        assertEquals(Behaviour.DEFAULT_REPLY, text.toString());
        JsonNode usage = JSON.readTree(frames.get(frames.size() - 2).substring("data: ".length()))
                .path("usage");
        assertEquals(promptTokens(QUESTION), usage.path("prompt_tokens").asLong());

        RecordedRequest sent = assertOneResponsesCall(before, true);
        assertTrue(sent.bodyJson().path("stream").asBoolean());
        UsageEvent event = assertBilledOnce(requestId, Api.CHAT_COMPLETIONS);
        assertTrue(event.streamed());
    }

    /** Exactly one call reached the simulator since {@code before}, on /v1/responses, with {@code store: false}. */
    private static RecordedRequest assertOneResponsesCall(long before, boolean streamed) {
        assertEquals(1, simulators().requestCount("openai") - before, "one call to OpenAI, no retry elsewhere");
        RecordedRequest sent = simulators().lastRequest("openai").orElseThrow();
        assertEquals("/v1/responses", sent.path());
        JsonNode body = sent.bodyJson();
        assertTrue(body.has("store") && !body.get("store").asBoolean(true), "never stored at OpenAI: " + body);
        assertFalse(body.has("messages"), "a Responses request, not a chat one: " + body);
        assertEquals(streamed, body.path("stream").asBoolean(false));
        return sent;
    }

    /** Exactly one usage event for the request (RoutingIt.usageRecord fails on more), with the simulator's counts. */
    private static UsageEvent assertBilledOnce(String requestId, Api api) throws Exception {
        UsageEvent event = usageEvent(requestId);
        assertEquals(RequestStatus.SUCCEEDED, event.status());
        assertEquals("openai", event.provider());
        assertEquals(api, event.api());
        assertEquals(0, event.fallbackAttempts());
        assertEquals(tokens(Behaviour.DEFAULT_REPLY), event.outputTokens());
        assertTrue(event.inputTokens() > 0);
        return event;
    }

    /**
     * The event's cost at OpenAI's published rates per 1M tokens, written here rather than read from the catalog
     * (o3-pro 20.00 input and 80.00 output; gpt-5-codex 1.25 and 10.00, genai-prices @47df840a), plus the 0.0001 fee.
     */
    private static BigDecimal cost(UsageEvent event) {
        boolean pro = event.providerModel().equals("o3-pro");
        BigDecimal input = new BigDecimal(pro ? "20.00" : "1.25");
        BigDecimal output = new BigDecimal(pro ? "80.00" : "10.00");
        return input.multiply(BigDecimal.valueOf(event.inputTokens()))
                .add(output.multiply(BigDecimal.valueOf(event.outputTokens())))
                .movePointLeft(6)
                .setScale(8, RoundingMode.HALF_EVEN)
                .add(new BigDecimal("0.0001"));
    }

    /** TokenCounter: one token per started group of four characters. */
    private static long tokens(String text) {
        return (text.length() + 3) / 4;
    }

    /** TokenCounter.prompt for one user message: 3 priming tokens, 3 per message, and its text. */
    private static long promptTokens(String text) {
        return 3 + 3 + tokens(text);
    }

    private static SimulatorServer simulators() {
        return SimulatorTestResource.server();
    }
}
