package io.tokenhub.routing.spi;

/**
 * A provider's complete answer in OpenAI's shape.
 *
 * @param body the {@code chat.completion} JSON the client receives
 * @param usage what the provider reported, for billing
 */
public record TranslatedResponse(byte[] body, Usage usage) {}
