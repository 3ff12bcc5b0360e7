package io.tokenhub.routing.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.translate.ProviderErrors;
import io.vertx.core.MultiMap;

/**
 * OpenAI's errors (https://platform.openai.com/docs/guides/error-codes) are already in the shape clients expect; only
 * the status is mapped, so TokenHub's own credentials or quota never read as the client's fault.
 */
final class OpenAiErrors {

    private OpenAiErrors() {}

    static OpenAiError toOpenAiError(ObjectMapper json, int status, MultiMap headers, byte[] body) {
        return ProviderErrors.fromOpenAiBody(json, status, headers, body);
    }
}
