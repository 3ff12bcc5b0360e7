package io.tokenhub.routing.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The status mapping every adapter shares once it has pulled the provider's own error fields out. A provider's 401,
 * 402 or 403 is about TokenHub's provider key or account, not the client's, so the client sees a 502 and never the
 * provider's wording about keys. Identifiers of TokenHub's own provider accounts (OpenAI's {@code org-...} and
 * {@code proj_...}, which its rate-limit messages name) are removed from every message a client gets.
 */
public final class ProviderErrors {

    private static final Pattern ACCOUNT_IDS = Pattern.compile("\\b(?:org-[A-Za-z0-9]{16,}|proj_[A-Za-z0-9]{8,})");

    private ProviderErrors() {}

    public static OpenAiError fromStatus(
            int status, String type, String message, String param, String code, Long retryAfterSeconds) {
        String text = message == null || message.isBlank()
                ? "The provider returned HTTP " + status + "."
                : ACCOUNT_IDS.matcher(message).replaceAll("TokenHub's provider account");
        return switch (status) {
            case 400, 404, 409, 413, 422 ->
                new OpenAiError(
                        status == 422 ? 400 : status,
                        orDefault(type, "invalid_request_error"),
                        text,
                        param,
                        code,
                        null);
            case 401, 403 ->
                new OpenAiError(
                        502,
                        "server_error",
                        "The provider rejected TokenHub's credentials; this is not about your API key.",
                        null,
                        "provider_auth_error",
                        null);
            case 402 ->
                new OpenAiError(
                        502,
                        "server_error",
                        "The provider refused TokenHub's account (billing); this is not about your API key.",
                        null,
                        "provider_account_error",
                        null);
            case 429 ->
                new OpenAiError(
                        429,
                        orDefault(type, "rate_limit_error"),
                        text,
                        null,
                        orDefault(code, "rate_limit_exceeded"),
                        retryAfterSeconds);
            case 503, 529 ->
                new OpenAiError(503, "server_error", text, null, "provider_unavailable", retryAfterSeconds);
            case 504 -> new OpenAiError(504, "server_error", text, null, "provider_timeout", null);
            default ->
                status >= 500
                        ? new OpenAiError(502, "server_error", text, null, "provider_error", null)
                        : new OpenAiError(400, orDefault(type, "invalid_request_error"), text, param, code, null);
        };
    }

    /** An error body in OpenAI's own shape ({@code {"error": {message, type, param, code}}}), as OpenAI and Meta send. */
    public static OpenAiError fromOpenAiBody(ObjectMapper json, int status, MultiMap headers, byte[] body) {
        JsonNode error = readJson(json, body).path("error");
        return fromStatus(
                status,
                error.path("type").asText(null),
                error.path("message").asText(null),
                error.path("param").asText(null),
                error.path("code").asText(null),
                retryAfterSeconds(headers));
    }

    /** An error event inside a stream, as the {@code data:} payload OpenAI clients raise on. */
    public static String streamError(JsonNode providerError) {
        String message = providerError.path("message").asText("The provider failed in the middle of the answer.");
        return new OpenAiError(502, "server_error", message, null, "provider_stream_error", null).toJson();
    }

    /** Retry-After in seconds from the standard header or OpenAI's millisecond variant. */
    public static Long retryAfterSeconds(MultiMap headers) {
        String seconds = headers.get("retry-after");
        if (seconds != null) {
            try {
                return Math.max(0, Long.parseLong(seconds.trim()));
            } catch (NumberFormatException e) {
                // An HTTP date instead of seconds: not worth parsing for a hint, fall through to the ms header.
            }
        }
        String millis = headers.get("retry-after-ms");
        if (millis != null) {
            try {
                return Math.max(1, (long) Math.ceil(Double.parseDouble(millis.trim()) / 1000));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A provider's error body as JSON, or a missing node when it is not JSON: error bodies are parsed defensively. */
    public static JsonNode readJson(ObjectMapper json, byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node == null ? json.missingNode() : node;
        } catch (IOException | RuntimeException e) {
            return json.missingNode();
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
