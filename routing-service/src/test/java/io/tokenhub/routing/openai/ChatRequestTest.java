package io.tokenhub.routing.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
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

    private static OpenAiError refused(String body) {
        return assertThrows(
                        InvalidRequestException.class,
                        () -> ChatRequest.parse(JSON, body.getBytes(StandardCharsets.UTF_8)))
                .error();
    }
}
