package io.tokenhub.routing.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.OpenAiShapes;

/** Anthropic's usage, whose {@code input_tokens} excludes cache reads and writes, normalised to OpenAI's. */
final class AnthropicUsage {

    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long output;

    /** Takes the counts present in {@code usage}; absent ones keep their value (stream events carry subsets). */
    void read(JsonNode usage) {
        input = usage.path("input_tokens").asLong(input);
        cacheRead = usage.path("cache_read_input_tokens").asLong(cacheRead);
        cacheCreation = usage.path("cache_creation_input_tokens").asLong(cacheCreation);
        output = usage.path("output_tokens").asLong(output);
    }

    /** Prompt = input + cache reads + cache writes; cached = cache reads, which OpenAI counts in the prompt. */
    Usage usage() {
        return new Usage(input + cacheRead + cacheCreation, output, cacheRead);
    }

    ObjectNode json() {
        return OpenAiShapes.usage(usage(), cacheCreation, 0);
    }
}
