package io.tokenhub.routing.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The message roles of OpenAI's Chat Completions (https://platform.openai.com/docs/api-reference/chat/create), the
 * one place a role is read: OpenAI refuses any other value with a 400 naming the message, and so does TokenHub.
 */
public enum MessageRole {
    SYSTEM("system"),
    DEVELOPER("developer"),
    USER("user"),
    ASSISTANT("assistant"),
    TOOL("tool"),
    /** The deprecated functions API's result message; accepted by OpenAI, refused for the other providers. */
    FUNCTION("function");

    private final String wireName;

    MessageRole(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The role of {@code message}, which sits at {@code messages[index]}, or the 400 the client should get. */
    public static MessageRole of(JsonNode message, int index) {
        String role = message.path("role").asText();
        for (MessageRole r : values()) {
            if (r.wireName.equals(role)) {
                return r;
            }
        }
        throw new InvalidRequestException(OpenAiError.invalidRequest(
                "Invalid value: '" + role + "'. Supported "
                        + "values are: 'system', 'developer', 'user', 'assistant', 'tool' and 'function'.",
                "messages[" + index + "].role"));
    }
}
