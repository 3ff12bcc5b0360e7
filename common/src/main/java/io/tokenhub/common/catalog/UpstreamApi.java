package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which of its provider's APIs a model is called on. A provider offers most models on its chat API; OpenAI offers some
 * (o3-pro, gpt-5-pro: https://platform.openai.com/docs/models/o3-pro lists only {@code v1/responses}) on its Responses
 * API alone, and answers a chat call for them with an error, so routing must know before it calls.
 */
public enum UpstreamApi {
    /** The provider's chat API: OpenAI's {@code /chat/completions} and each other provider's native chat call. */
    CHAT,
    /** OpenAI's Responses API, {@code /responses} (https://platform.openai.com/docs/api-reference/responses). */
    RESPONSES;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static UpstreamApi fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
