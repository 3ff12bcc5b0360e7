package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.frames;
import static io.tokenhub.routing.it.RoutingIt.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.SimulatorServer;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gemini 3 tool use over two turns through {@code /v1/chat/completions}: the client sends back the assistant message as
 * it received it (tool calls and {@code reasoning_details}) with the tool results, and the Google simulator, which like
 * Google refuses a Gemini 3 function call of the current turn without its {@code thoughtSignature}, answers only
 * because TokenHub put the signature back on the call's part.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class GeminiSignaturesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "google/gemini-3.5-flash";
    private static final String QUESTION = "What is the weather in Paris and Tokyo?";
    private static final String WEATHER_TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}}}";

    @BeforeEach
    void weatherCalls() throws Exception {
        simulators()
                .behave(
                        "google",
                        Behaviour.builder()
                                .toolCall("get_weather", JSON.readTree("{\"city\":\"Paris\"}"))
                                .toolCall("get_weather", JSON.readTree("{\"city\":\"Tokyo\"}"))
                                .build());
    }

    @AfterEach
    void normalSimulator() {
        simulators().reset("google");
    }

    @Test
    void theSignatureOfAnAnswerGoesBackOnItsFunctionCall() throws Exception {
        Response first = internal("it-" + UUID.randomUUID()).body(ask(false)).post("/v1/chat/completions");
        assertEquals(200, first.statusCode(), first.asString());
        JsonNode message =
                JSON.readTree(first.asString()).path("choices").path(0).path("message");
        JsonNode calls = message.path("tool_calls");
        assertEquals(2, calls.size(), message.toString());
        JsonNode details = message.path("reasoning_details");
        // Gemini signs the first of parallel calls only.
        assertEquals(1, details.size(), message.toString());
        JsonNode detail = details.get(0);
        assertEquals("reasoning.encrypted", detail.path("type").asText());
        assertEquals("google-gemini-v1", detail.path("format").asText());
        assertEquals(calls.get(0).path("id").asText(), detail.path("id").asText());
        assertEquals(0, detail.path("index").asInt());
        String signature = detail.path("data").asText();
        assertFalse(signature.isEmpty());

        answerBack((ObjectNode) message, signature);
    }

    @Test
    void theSignatureOfAStreamGoesBackOnItsFunctionCall() throws Exception {
        Response first = internal("it-" + UUID.randomUUID()).body(ask(true)).post("/v1/chat/completions");
        assertEquals(200, first.statusCode(), first.asString());
        // The client puts the deltas together as the OpenAI SDK does, reasoning_details entries included.
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        ArrayNode calls = message.putArray("tool_calls");
        ArrayNode details = message.putArray("reasoning_details");
        for (String frame : frames(first.asString())) {
            if (frame.equals("data: [DONE]")) {
                continue;
            }
            JsonNode delta = JSON.readTree(frame.substring("data: ".length()))
                    .path("choices")
                    .path(0)
                    .path("delta");
            delta.path("tool_calls").forEach(calls::add);
            delta.path("reasoning_details").forEach(details::add);
        }
        calls.forEach(call -> ((ObjectNode) call).remove("index"));
        assertEquals(2, calls.size(), message.toString());
        assertEquals(1, details.size(), message.toString());
        assertEquals(calls.get(0).path("id").asText(), details.get(0).path("id").asText());

        answerBack(message, details.get(0).path("data").asText());
    }

    @Test
    void anAssistantMessageWithoutItsSignatureIsRefusedAsGoogleRefusesIt() throws Exception {
        Response first = internal("it-" + UUID.randomUUID()).body(ask(false)).post("/v1/chat/completions");
        assertEquals(200, first.statusCode(), first.asString());
        ObjectNode message = (ObjectNode)
                JSON.readTree(first.asString()).path("choices").path(0).path("message");
        message.remove("reasoning_details");

        Response second =
                internal("it-" + UUID.randomUUID()).body(secondTurn(message)).post("/v1/chat/completions");
        assertEquals(400, second.statusCode(), second.asString());
        assertEquals(
                "invalid_argument",
                JSON.readTree(second.asString()).path("error").path("code").asText());
    }

    /** Sends the assistant message back with the tool results, and checks Gemini got the signature on its call. */
    private static void answerBack(ObjectNode message, String signature) throws Exception {
        Response second =
                internal("it-" + UUID.randomUUID()).body(secondTurn(message)).post("/v1/chat/completions");
        assertEquals(200, second.statusCode(), second.asString());
        JsonNode answered = JSON.readTree(second.asString()).path("choices").path(0);
        assertEquals(
                "The tool returned: 18C, light rain\n24C, sunny",
                answered.path("message").path("content").asText());

        JsonNode sent = simulators().lastRequest("google").orElseThrow().bodyJson();
        JsonNode modelParts = sent.path("contents").path(1).path("parts");
        assertEquals("model", sent.path("contents").path(1).path("role").asText(), sent.toString());
        assertEquals(
                "get_weather",
                modelParts.path(0).path("functionCall").path("name").asText());
        assertEquals(signature, modelParts.path(0).path("thoughtSignature").asText(), sent.toString());
        assertTrue(modelParts.path(1).path("thoughtSignature").isMissingNode(), "only the signed call is signed");
    }

    private static String ask(boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"stream\":" + stream + ",\"tools\":[" + WEATHER_TOOL + "],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
    }

    private static String secondTurn(ObjectNode assistant) {
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", QUESTION);
        messages.add(assistant);
        JsonNode calls = assistant.path("tool_calls");
        messages.addObject()
                .put("role", "tool")
                .put("tool_call_id", calls.get(0).path("id").asText())
                .put("content", "18C, light rain");
        messages.addObject()
                .put("role", "tool")
                .put("tool_call_id", calls.get(1).path("id").asText())
                .put("content", "24C, sunny");
        return "{\"model\":\"" + MODEL + "\",\"messages\":" + messages + ",\"tools\":[" + WEATHER_TOOL + "]}";
    }

    private static SimulatorServer simulators() {
        return SimulatorTestResource.server();
    }
}
