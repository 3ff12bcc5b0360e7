package io.tokenhub.routing.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.OpenAiShapes;

/**
 * Gemini's {@code usageMetadata} normalised to OpenAI's semantics: the prompt includes cached and tool-use prompt
 * tokens, the completion includes thinking ({@code candidatesTokenCount} excludes it). Each read replaces the
 * previous one, because in a stream only the last chunk's counts are final.
 */
final class GoogleUsage {

    private long prompt;
    private long completion;
    private long cached;
    private long thoughts;

    void read(JsonNode metadata) {
        if (!metadata.isObject()) {
            return;
        }
        prompt = metadata.path("promptTokenCount").asLong(0)
                + metadata.path("toolUsePromptTokenCount").asLong(0);
        thoughts = metadata.path("thoughtsTokenCount").asLong(0);
        completion = metadata.path("candidatesTokenCount").asLong(0) + thoughts;
        cached = metadata.path("cachedContentTokenCount").asLong(0);
    }

    Usage usage() {
        return new Usage(prompt, completion, cached);
    }

    ObjectNode json() {
        return OpenAiShapes.usage(usage(), thoughts);
    }
}
