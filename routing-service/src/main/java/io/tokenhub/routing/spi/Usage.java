package io.tokenhub.routing.spi;

/**
 * Token counts normalised to OpenAI semantics whatever the provider reported.
 *
 * @param inputTokens all prompt tokens, cache reads and cache writes included
 * @param outputTokens completion tokens, reasoning included
 * @param cachedTokens the part of the prompt read from the provider's cache
 * @param cacheWrite5mTokens the part of the prompt written to the provider's cache for 5 minutes (Anthropic)
 * @param cacheWrite1hTokens the part of the prompt written to the provider's cache for 1 hour (Anthropic)
 */
public record Usage(
        long inputTokens, long outputTokens, long cachedTokens, long cacheWrite5mTokens, long cacheWrite1hTokens) {

    public static final Usage NONE = new Usage(0, 0, 0);

    /** Counts of a provider that reports no cache writes: OpenAI's, Google's, Mistral's and Meta's. */
    public Usage(long inputTokens, long outputTokens, long cachedTokens) {
        this(inputTokens, outputTokens, cachedTokens, 0, 0);
    }

    /** Prompt tokens written to the cache, whatever their lifetime. */
    public long cacheWriteTokens() {
        return cacheWrite5mTokens + cacheWrite1hTokens;
    }
}
