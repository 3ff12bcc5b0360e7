package io.tokenhub.routing.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUnknownFieldIsRefusedByNameAsOpenAiDoes() {
        OpenAiError error = refused(
                "{\"model\":\"gpt-4o\",\"temprature\":1,\"messages\":[{\"role\":\"user\"," + "\"content\":\"x\"}]}");
        assertEquals(400, error.status());
        assertEquals("temprature", error.param());
        assertEquals("Unrecognized request argument supplied: temprature", error.message());
    }

    /** Anthropic's thinking object is internal to a translated Messages request: a chat client's own is refused. */
    @Test
    void aChatClientsThinkingFieldIsRefused() {
        OpenAiError error = refused("{\"model\":\"claude-sonnet-4-5\",\"thinking\":{\"type\":\"enabled\","
                + "\"budget_tokens\":2048},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertEquals("thinking", error.param());
        assertEquals("Unrecognized request argument supplied: thinking", error.message());
    }

    @Test
    void onlyTheStandardPricedServiceTiersAreSold() {
        for (String tier : new String[] {"priority", "flex", "scale"}) {
            OpenAiError error = refused("{\"model\":\"gpt-4o\",\"service_tier\":\"" + tier + "\",\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"x\"}]}");
            assertEquals("service_tier", error.param(), tier);
        }
        for (String tier : new String[] {"auto", "default"}) {
            assertEquals(
                    "gpt-4o",
                    ChatRequest.parse(
                                    JSON,
                                    ("{\"model\":\"gpt-4o\",\"service_tier\":\"" + tier
                                                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                                            .getBytes(StandardCharsets.UTF_8))
                            .model());
        }
    }

    @Test
    void anUnknownRoleIsRefusedNamingTheMessage() {
        OpenAiError error = refused("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"role\":\"wizard\",\"content\":\"x\"}]}");
        assertEquals("messages[1].role", error.param());
    }

    /** Parsed in one pass that also notes where each field's value is, so it can be sent on as written. */
    @Test
    void eachFieldsValueIsLocatedInTheClientsBytes() {
        String client = "\uFEFF{ \"model\" : \"gpt-4o\",\n\t\"temperature\":1e0 , \"stop\" : [\"\\n\", \"\u00e9\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"x\\\"\"}],\"logprobs\":true,"
                + "\"n\":1,\"user\":null}  ";
        byte[] bytes = client.getBytes(StandardCharsets.UTF_8);
        ChatRequest request = ChatRequest.parse(JSON, bytes);

        assertEquals(
                Map.of(
                        "model", "\"gpt-4o\"",
                        "temperature", "1e0",
                        "stop", "[\"\\n\", \"\u00e9\"]",
                        "messages", "[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"x\\\"\"}]",
                        "logprobs", "true",
                        "n", "1",
                        "user", "null"),
                request.source().fields().entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey,
                                field -> new String(
                                        bytes,
                                        field.getValue().start(),
                                        field.getValue().end()
                                                - field.getValue().start(),
                                        StandardCharsets.UTF_8))));
        request.source()
                .fields()
                .forEach((name, span) -> assertSame(request.body().get(name), span.value(), name));
    }

    @Test
    void aBodyInAnotherEncodingHasNoByteSpans() {
        byte[] utf16 = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
                .getBytes(StandardCharsets.UTF_16BE);

        assertSame(SourceSpans.NONE, ChatRequest.parse(JSON, utf16).source());
    }

    @Test
    void whatIsNoJsonObjectIsRefusedAsBefore() {
        String unparsable = "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                + "using your HTTP library correctly. The OpenAI API expects a JSON payload.)";
        String notAnObject = "The request body must be a JSON object.";
        for (String[] body : new String[][] {
            {"", notAnObject},
            {"  ", notAnObject},
            {"[1, 2]", notAnObject},
            {"\"x\"", notAnObject},
            {"null", notAnObject},
            {"[1,", unparsable},
            {"{\"model\": ", unparsable},
            {"{\"model\": \"gpt-4o\",}", unparsable},
            {"{\"messages\": [}", unparsable},
        }) {
            assertEquals(body[1], refused(body[0]).message(), body[0]);
        }
    }

    private static OpenAiError refused(String body) {
        return assertThrows(
                        InvalidRequestException.class,
                        () -> ChatRequest.parse(JSON, body.getBytes(StandardCharsets.UTF_8)))
                .error();
    }
}
