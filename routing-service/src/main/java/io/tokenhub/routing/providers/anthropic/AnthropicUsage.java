package io.tokenhub.routing.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.OpenAiShapes;

/**
 * Anthropic's usage, whose {@code input_tokens} excludes cache reads and writes, normalised to OpenAI's. Cache writes
 * are kept apart by lifetime, since Anthropic bills a 5-minute write at 1.25x the input rate and a 1-hour one at 2x:
 * {@code cache_creation.ephemeral_5m_input_tokens} and {@code ephemeral_1h_input_tokens}, whose sum is
 * {@code cache_creation_input_tokens} (https://docs.claude.com/en/api/messages, the usage object).
 */
final class AnthropicUsage {

    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long cacheWrite1h;
    private boolean splitReported;
    private long output;

    /** Takes the counts present in {@code usage}; absent ones keep their value (stream events carry subsets). */
    void read(JsonNode usage) {
        input = usage.path("input_tokens").asLong(input);
        cacheRead = usage.path("cache_read_input_tokens").asLong(cacheRead);
        cacheCreation = usage.path("cache_creation_input_tokens").asLong(cacheCreation);
        JsonNode split = usage.path("cache_creation");
        if (split.isObject()) {
            splitReported = true;
            cacheWrite1h = split.path("ephemeral_1h_input_tokens").asLong(cacheWrite1h);
        }
        output = usage.path("output_tokens").asLong(output);
    }

    /**
     * Prompt = input + cache reads + cache writes; cached = cache reads, which OpenAI counts in the prompt. Writes not
     * split by lifetime (answers from before the split existed) are 5-minute writes, the only kind there was then and
     * the default still; a 1-hour count is never taken above the total it is part of.
     */
    Usage usage() {
        long oneHour = splitReported ? Math.min(cacheWrite1h, cacheCreation) : 0;
        return new Usage(input + cacheRead + cacheCreation, output, cacheRead, cacheCreation - oneHour, oneHour);
    }

    ObjectNode json() {
        return OpenAiShapes.usage(usage(), 0);
    }
}
