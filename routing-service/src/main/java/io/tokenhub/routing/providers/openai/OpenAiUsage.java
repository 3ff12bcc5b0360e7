package io.tokenhub.routing.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenhub.routing.spi.Usage;

/** OpenAI's usage: {@code prompt_tokens} includes the cached part reported in {@code prompt_tokens_details}. */
final class OpenAiUsage {

    private OpenAiUsage() {}

    static Usage from(JsonNode usage) {
        if (!usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(
                usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
    }
}
