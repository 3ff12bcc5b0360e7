package io.tokenhub.routing.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.translate.ProviderErrors;
import io.vertx.core.MultiMap;

/**
 * Anthropic's errors (https://docs.claude.com/en/api/errors), {@code {"type": "error", "error": {type, message}}}, as
 * the OpenAI errors an OpenAI client expects: the error type adds what the status does not say (a too-large request,
 * a missing model, an overload sent with the non-standard 529).
 */
final class AnthropicErrors {

    private AnthropicErrors() {}

    static OpenAiError toOpenAiError(ObjectMapper json, int status, MultiMap headers, byte[] nativeBody) {
        JsonNode error = ProviderErrors.readJson(json, nativeBody).path("error");
        String type = error.path("type").asText("");
        // Anthropic's error types (https://docs.claude.com/en/api/errors); statuses carry the rest of the meaning.
        String openAiType = null;
        String code = null;
        int effectiveStatus = status;
        switch (type) {
            case "invalid_request_error" -> openAiType = "invalid_request_error";
            case "request_too_large" -> {
                openAiType = "invalid_request_error";
                code = "request_too_large";
            }
            case "not_found_error" -> {
                openAiType = "invalid_request_error";
                code = "not_found";
            }
            // An overload is a 503 to OpenAI clients whatever status it came with (normally the non-standard 529).
            case "overloaded_error" -> effectiveStatus = 529;
            case "authentication_error",
                    "permission_error",
                    "billing_error",
                    "rate_limit_error",
                    "api_error",
                    "timeout_error" -> {
                // The status decides: credentials and billing are TokenHub's problem, 429 and 5xx keep theirs.
            }
            default -> Log.debugf("anthropic error without a known type (status %d); mapped by status", status);
        }
        return ProviderErrors.fromStatus(
                effectiveStatus,
                openAiType,
                error.path("message").asText(null),
                null,
                code,
                ProviderErrors.retryAfterSeconds(headers));
    }
}
