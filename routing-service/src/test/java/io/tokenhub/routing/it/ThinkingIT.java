package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.frames;
import static io.tokenhub.routing.it.RoutingIt.internal;
import static io.tokenhub.routing.it.RoutingIt.usageEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.SimulatorServer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Extended thinking end to end against the Anthropic simulator: a Claude Code-style {@code /v1/messages} request with
 * thinking on and an earlier turn holding a signed thinking block and a tool call, answered by a tool result, reaches
 * Anthropic with the same thinking settings and the block unchanged, and Claude's thinking comes back as native blocks
 * and deltas, billed once as output; a chat reasoning effort reaches Claude as a thinking budget.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class ThinkingIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The simulator's thinking text and signature (AnthropicThinking), written here as a client would see them. */
    private static final String THOUGHT = "The user wants an answer; let me think it through before replying.";

    private static final String SIGNATURE = "EqQBCgIYAhIMsimulatedThinkingSignatureGgwWxYzAbCdEf0123456789";

    /** A signature from an earlier answer: it must reach Anthropic byte for byte. */
    private static final String EARLIER_BLOCK = "{\"type\":\"thinking\",\"thinking\":\"I should call get_weather.\","
            + "\"signature\":\"ErUBCkYIBRgCIkDp+/s7Qz9hTu3a0vXk2Jq/==\"}";

    private static final String TOOL_USE =
            "{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":\"get_weather\","
                    + "\"input\":{\"city\":\"Paris\"}}";

    private static String request(boolean stream) {
        return "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":4096,\"stream\":" + stream + ","
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},"
                + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":[" + EARLIER_BLOCK + "," + TOOL_USE + "]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_01A09q90qw90lq917835lq9\",\"content\":\"15 degrees\"}]}]}";
    }

    @Test
    void signedThinkingGoesBackUnchangedAndThinkingComesBackAsBlocks() throws Exception {
        String requestId = "it-" + UUID.randomUUID();
        Response response = internal(requestId).body(request(false)).post("/v1/messages");
        assertEquals(200, response.statusCode(), response.asString());

        JsonNode sent = simulators().lastRequest("anthropic").orElseThrow().bodyJson();
        assertEquals(JSON.readTree("{\"type\":\"enabled\",\"budget_tokens\":2048}"), sent.path("thinking"));
        assertEquals(4096, sent.path("max_tokens").asInt());
        JsonNode earlier = sent.path("messages").path(1).path("content");
        assertEquals(JSON.readTree("[" + EARLIER_BLOCK + "," + TOOL_USE + "]"), earlier);
        assertEquals(
                "tool_result",
                sent.path("messages")
                        .path(2)
                        .path("content")
                        .path(0)
                        .path("type")
                        .asText());

        JsonNode answer = JSON.readTree(response.asString());
        JsonNode content = answer.path("content");
        assertEquals(2, content.size(), answer.toString());
        assertEquals(
                JSON.readTree(
                        "{\"type\":\"thinking\",\"thinking\":\"" + THOUGHT + "\",\"signature\":\"" + SIGNATURE + "\"}"),
                content.get(0));
        assertEquals("text", content.get(1).path("type").asText());
        assertEquals(
                "The tool returned: 15 degrees", content.get(1).path("text").asText());
        long output = tokens(THOUGHT) + tokens("The tool returned: 15 degrees");
        assertEquals(output, answer.path("usage").path("output_tokens").asLong());
        UsageEvent event = usageEvent(requestId);
        assertEquals(output, event.outputTokens(), "thinking is billed once, as output");
    }

    @Test
    void streamedThinkingArrivesAsThinkingAndSignatureDeltas() throws Exception {
        Response response =
                internal("it-" + UUID.randomUUID()).body(request(true)).post("/v1/messages");
        assertEquals(200, response.statusCode(), response.asString());
        List<JsonNode> events = frames(response.asString()).stream()
                .filter(f -> f.startsWith("event: "))
                .map(ThinkingIT::data)
                .toList();
        JsonNode start = events.stream()
                .filter(e -> e.path("type").asText().equals("content_block_start"))
                .findFirst()
                .orElseThrow();
        assertEquals(0, start.path("index").asInt());
        assertEquals(
                JSON.readTree("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"),
                start.path("content_block"));
        StringBuilder thought = new StringBuilder();
        String signature = null;
        for (JsonNode e : events) {
            JsonNode delta = e.path("delta");
            if (e.path("index").asInt(-1) == 0 && delta.path("type").asText().equals("thinking_delta")) {
                thought.append(delta.path("thinking").asText());
            } else if (e.path("index").asInt(-1) == 0
                    && delta.path("type").asText().equals("signature_delta")) {
                signature = delta.path("signature").asText();
            }
        }
        assertEquals(THOUGHT, thought.toString());
        assertEquals(SIGNATURE, signature);
        assertTrue(events.stream()
                .anyMatch(e -> e.path("index").asInt(-1) == 1
                        && e.path("delta").path("type").asText().equals("text_delta")));
    }

    @Test
    void aChatReasoningEffortReachesClaudeAsABudget() throws Exception {
        Response response = internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"anthropic/claude-sonnet-4-5\",\"reasoning_effort\":\"low\",\"max_tokens\":500,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode sent = simulators().lastRequest("anthropic").orElseThrow().bodyJson();
        assertEquals(JSON.readTree("{\"type\":\"enabled\",\"budget_tokens\":2048}"), sent.path("thinking"));
        assertEquals(2048 + 500, sent.path("max_tokens").asInt());
        JsonNode message =
                JSON.readTree(response.asString()).path("choices").path(0).path("message");
        assertEquals(THOUGHT, message.path("reasoning_content").asText());
        assertEquals(
                SIGNATURE,
                message.path("reasoning_details").path(0).path("signature").asText());
    }

    private static JsonNode data(String frame) {
        try {
            return JSON.readTree(frame.substring(frame.indexOf("data: ") + "data: ".length()));
        } catch (Exception e) {
            throw new IllegalStateException(frame, e);
        }
    }

    /** TokenCounter: one token per started group of four characters. */
    private static long tokens(String text) {
        return (text.length() + 3) / 4;
    }

    private static SimulatorServer simulators() {
        return SimulatorTestResource.server();
    }
}
