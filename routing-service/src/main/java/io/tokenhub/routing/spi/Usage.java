package io.tokenhub.routing.spi;

/**
 * Token counts normalised to OpenAI semantics whatever the provider reported.
 *
 * @param inputTokens all prompt tokens, cached ones included
 * @param outputTokens completion tokens, reasoning included
 * @param cachedTokens the part of the prompt read from the provider's cache
 */
public record Usage(long inputTokens, long outputTokens, long cachedTokens) {

    public static final Usage NONE = new Usage(0, 0, 0);
}
