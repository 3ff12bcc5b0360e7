package io.tokenhub.routing.openai;

import io.tokenhub.common.http.ErrorBody;

/**
 * An error as the OpenAI API reports it (https://platform.openai.com/docs/guides/error-codes): the HTTP status an
 * OpenAI client expects plus {@code {"error": {message, type, param, code}}}. Every failure TokenHub answers with,
 * its own or a provider's translated one, ends up as one of these.
 *
 * @param status HTTP status
 * @param type OpenAI error type, e.g. invalid_request_error
 * @param message human-readable, never containing a provider key or a stack trace
 * @param param the request field at fault, or null
 * @param code machine-readable code, or null
 * @param retryAfterSeconds value for the Retry-After header, or null
 */
public record OpenAiError(int status, String type, String message, String param, String code, Long retryAfterSeconds) {

    public static OpenAiError invalidRequest(String message, String param) {
        return new OpenAiError(400, "invalid_request_error", message, param, null, null);
    }

    public static OpenAiError modelNotFound(String model) {
        return new OpenAiError(
                404,
                "invalid_request_error",
                "The model '" + model + "' does not exist or you do not have access to it.",
                "model",
                "model_not_found",
                null);
    }

    /** No endpoint in the region the account is restricted to serves {@code model}: it never will, outage or not. */
    public static OpenAiError notInRegion(String model, String region) {
        return new OpenAiError(
                400,
                "invalid_request_error",
                "The model '" + model + "' is not available in region '" + region + "', which this account is"
                        + " restricted to: no provider that can serve it has an endpoint there.",
                "model",
                "model_not_in_region",
                null);
    }

    public static OpenAiError unavailable(String message) {
        return new OpenAiError(503, "server_error", message, null, "provider_unavailable", null);
    }

    public static OpenAiError badGateway(String message) {
        return new OpenAiError(502, "server_error", message, null, "provider_error", null);
    }

    public static OpenAiError timeout(String message) {
        return new OpenAiError(504, "server_error", message, null, "provider_timeout", null);
    }

    /** The {@code {"error": {...}}} body; also used as an SSE {@code data:} payload for mid-stream errors. */
    public String toJson() {
        return ErrorBody.json(message, type, param, code);
    }
}
