package io.tokenhub.routing.providers.meta;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.translate.ProviderErrors;
import io.vertx.core.MultiMap;

/**
 * The Llama API's OpenAI-compatible endpoint documents no error body of its own
 * (https://llama.developer.meta.com/docs/features/compatibility/); it answers in OpenAI's shape, read defensively.
 */
final class MetaErrors {

    private MetaErrors() {}

    static OpenAiError toOpenAiError(ObjectMapper json, int status, MultiMap headers, byte[] body) {
        return ProviderErrors.fromOpenAiBody(json, status, headers, body);
    }
}
