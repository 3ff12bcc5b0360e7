package io.tokenhub.routing.spi;

import java.util.Map;

/**
 * What an adapter wants sent to its provider.
 *
 * @param path appended to the provider's base URL, the way its official SDK appends it
 * @param headers provider-specific headers (authentication included)
 * @param body the JSON body
 */
public record NativeRequest(String path, Map<String, String> headers, byte[] body) {}
