package io.tokenhub.routing.openai;

import java.util.Locale;
import java.util.Optional;

/**
 * The finish reasons an OpenAI client accepts (https://platform.openai.com/docs/api-reference/chat/object), the only
 * values adapters may emit: strict clients (Java, Go) parse {@code finish_reason} into an enum and fail on anything
 * else. {@code function_call} belongs to the deprecated functions API, which TokenHub does not translate.
 */
public enum FinishReason {
    STOP,
    LENGTH,
    TOOL_CALLS,
    CONTENT_FILTER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The finish reason a chat answer names; empty for none and for a value outside this list (OpenAI's own
     * deprecated {@code function_call}, passed through unchanged from OpenAI).
     */
    public static Optional<FinishReason> fromWire(String wire) {
        for (FinishReason reason : values()) {
            if (reason.wireName().equals(wire)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
