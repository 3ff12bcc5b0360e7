package io.tokenhub.routing.dialect.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.dialect.ClientExchange;
import io.tokenhub.routing.dialect.ClientStream;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.usage.UsageCost;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Responses API over Chat Completions: what a request becomes, what a chat answer and a chat stream become. The
 * expected shapes are OpenAI's documented ones (https://platform.openai.com/docs/api-reference/responses); the SDKs
 * check the same end to end in conformance/gateway/responses.test.mjs.
 */
class ResponsesDialectTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClientExchange read(String body) {
        return ResponsesDialect.INSTANCE.read(JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aConversationWithFunctionCallsBecomesChatMessages() {
        JsonNode chat = read("""
                {"model": "gpt-4o", "instructions": "Be brief.", "max_output_tokens": 64,
                 "input": [
                   {"role": "user", "content": [{"type": "input_text", "text": "Weather?"},
                                                {"type": "input_image", "image_url": "data:image/png;base64,AA=="}]},
                   {"type": "reasoning", "id": "rs_1", "summary": []},
                   {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{}"},
                   {"type": "function_call", "call_id": "call_2", "name": "get_weather", "arguments": "{}"},
                   {"type": "function_call_output", "call_id": "call_1", "output": "rain"},
                   {"type": "function_call_output", "call_id": "call_2", "output": "sun"}],
                 "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}],
                 "tool_choice": {"type": "function", "name": "get_weather"},
                 "text": {"format": {"type": "json_schema", "name": "w", "schema": {"type": "object"}}}}
                """).chat().body();
        JsonNode messages = chat.path("messages");
        assertEquals(5, messages.size(), messages.toString());
        assertEquals("system", messages.get(0).path("role").asText());
        assertEquals("Be brief.", messages.get(0).path("content").asText());
        assertEquals(
                "image_url", messages.get(1).path("content").get(1).path("type").asText());
        JsonNode calls = messages.get(2).path("tool_calls");
        assertEquals(2, calls.size(), "both calls of one turn in one assistant message");
        assertEquals("call_2", calls.get(1).path("id").asText());
        assertEquals("tool", messages.get(3).path("role").asText());
        assertEquals("call_1", messages.get(3).path("tool_call_id").asText());
        assertEquals(64, chat.path("max_completion_tokens").asInt());
        assertEquals(
                "get_weather",
                chat.path("tools").get(0).path("function").path("name").asText());
        assertEquals(
                "get_weather",
                chat.path("tool_choice").path("function").path("name").asText());
        assertEquals(
                "w",
                chat.path("response_format").path("json_schema").path("name").asText());
    }

    @Test
    void aStreamAsksTheChatStreamForItsUsage() {
        ClientExchange exchange = read("{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"stream\": true}");
        assertTrue(exchange.chat().stream());
        assertTrue(exchange.chat().includeUsage(), "response.completed always carries usage");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"previous_response_id\": \"resp_1\"}|previous_response_id",
                "{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"conversation\": \"conv_1\"}|conversation",
                "{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"background\": true}|background",
                "{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"tools\": [{\"type\": \"web_search\"}]}|tools[0].type",
                "{\"model\": \"gpt-4o\", \"input\": [{\"type\": \"item_reference\", \"id\": \"x\"}]}|input[0].type",
                "{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"truncation\": \"auto\"}|truncation",
                "{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"temprature\": 1}|temprature",
                "{\"model\": \"gpt-4o\"}|input",
            })
    void whatNeedsStoredStateOrBuiltInToolsIsRefusedNamingTheField(String body, String param) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> read(body));
        assertEquals(400, refused.error().status());
        assertEquals(param, refused.error().param());
    }

    @Test
    void aChatAnswerBecomesAResponseWithItsCostExact() throws Exception {
        byte[] completion = """
                {"id": "chatcmpl-abc", "object": "chat.completion", "created": 1741476542, "model": "gpt-4o-2024-08-06",
                 "choices": [{"index": 0, "finish_reason": "length",
                   "message": {"role": "assistant", "content": "Hello", "refusal": null,
                     "tool_calls": [{"id": "call_1", "type": "function",
                                     "function": {"name": "f", "arguments": "{\\"a\\":1}"}}]}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                   "prompt_tokens_details": {"cached_tokens": 4}, "completion_tokens_details": {"reasoning_tokens": 2},
                   "cost": 0.00010765, "cost_details": {"provider_cost": 0.00000765, "routing_fee": 0.0001}}}
                """.getBytes(StandardCharsets.UTF_8);
        JsonNode response = UsageCost.EXACT.readTree(
                read("{\"model\": \"gpt-4o\", \"input\": \"Hi\"}").answer(completion));
        assertEquals("resp_abc", response.path("id").asText());
        assertEquals("incomplete", response.path("status").asText());
        assertEquals(
                "max_output_tokens",
                response.path("incomplete_details").path("reason").asText());
        assertEquals(
                "output_text",
                response.path("output")
                        .get(0)
                        .path("content")
                        .get(0)
                        .path("type")
                        .asText());
        assertEquals("fc_call_1", response.path("output").get(1).path("id").asText());
        assertEquals("call_1", response.path("output").get(1).path("call_id").asText());
        JsonNode usage = response.path("usage");
        assertEquals(4, usage.path("input_tokens_details").path("cached_tokens").asInt());
        assertEquals(
                2, usage.path("output_tokens_details").path("reasoning_tokens").asInt());
        assertEquals("0.00010765", usage.path("cost").decimalValue().toPlainString());
        assertFalse(response.path("store").asBoolean(true));
    }

    @Test
    void aChatStreamBecomesTheDocumentedEventsInOrder() throws Exception {
        ClientStream stream = read("{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"stream\": true}").stream();
        Buffer out = Buffer.buffer();
        String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",";
        stream.chunk(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"He\"}}]}", out);
        stream.chunk(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"llo\"}}]}", out);
        stream.chunk(
                head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
                out);
        stream.chunk(
                head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                        + "\"function\":{\"arguments\":\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
                out);
        stream.chunk(
                head + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7,"
                        + "\"cost\":0.5,\"cost_details\":{\"provider_cost\":0.4,\"routing_fee\":0.1}}}",
                out);
        stream.done(out);
        List<JsonNode> events = events(out);
        assertEquals(
                List.of(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.output_text.delta",
                        "response.output_text.delta",
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.output_item.added",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.done",
                        "response.output_item.done",
                        "response.completed"),
                events.stream().map(e -> e.path("type").asText()).toList());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).path("sequence_number").asInt());
        }
        JsonNode completed = events.get(events.size() - 1).path("response");
        assertEquals("completed", completed.path("status").asText());
        assertEquals(
                "Hello",
                completed
                        .path("output")
                        .get(0)
                        .path("content")
                        .get(0)
                        .path("text")
                        .asText());
        assertEquals(
                "{\"a\":1}", completed.path("output").get(1).path("arguments").asText());
        assertEquals(1, events.get(9).path("output_index").asInt(), "the call is the second output item");
        assertEquals("0.5", completed.path("usage").path("cost").decimalValue().toPlainString());
    }

    @Test
    void aFailureAfterTheFirstEventEndsWithErrorThenResponseFailed() throws Exception {
        ClientStream stream = read("{\"model\": \"gpt-4o\", \"input\": \"Hi\", \"stream\": true}").stream();
        Buffer out = Buffer.buffer();
        stream.chunk(
                "{\"id\":\"c\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
                out);
        stream.error(
                "{\"error\":{\"message\":\"The provider stream was interrupted.\",\"type\":\"server_error\","
                        + "\"param\":null,\"code\":\"provider_error\"}}",
                out);
        List<JsonNode> events = events(out);
        JsonNode error = events.get(events.size() - 2);
        assertEquals("error", error.path("type").asText());
        assertEquals("provider_error", error.path("code").asText());
        JsonNode failed = events.get(events.size() - 1);
        assertEquals("response.failed", failed.path("type").asText());
        assertEquals("failed", failed.path("response").path("status").asText());
        assertEquals(
                "The provider stream was interrupted.",
                failed.path("response").path("error").path("message").asText());
    }

    /** The payloads of SSE frames, checking each frame's event name is its payload's type. */
    private static List<JsonNode> events(Buffer out) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
            String[] lines = frame.split("\n");
            JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
            assertEquals(
                    lines[0].substring("event: ".length()), data.path("type").asText());
            events.add(data);
        }
        return events;
    }
}
