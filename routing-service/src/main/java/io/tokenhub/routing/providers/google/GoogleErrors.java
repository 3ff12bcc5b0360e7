package io.tokenhub.routing.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.translate.ProviderErrors;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Gemini's errors ({@code {"error": {code, message, status, details}}}, https://ai.google.dev/gemini-api/docs/troubleshooting)
 * as OpenAI errors, for chat and embeddings alike. The {@code google.rpc} status name decides the HTTP status an OpenAI
 * client sees; a 429's retry delay comes from the body's {@code google.rpc.RetryInfo} detail, where Google puts it
 * instead of a {@code Retry-After} header.
 */
final class GoogleErrors {

    private GoogleErrors() {}

    static OpenAiError toOpenAiError(ObjectMapper json, int status, MultiMap headers, byte[] body) {
        JsonNode error = ProviderErrors.readJson(json, body).path("error");
        String rpcStatus = error.path("status").asText("");
        int mapped = switch (rpcStatus) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "ALREADY_EXISTS", "ABORTED" -> 409;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "CANCELLED", "UNKNOWN", "INTERNAL", "DATA_LOSS", "UNIMPLEMENTED" -> 500;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> {
                // https://cloud.google.com/apis/design/errors#handling_errors lists the codes above; a body without
                // one (a proxy's page, a future code) is judged by its HTTP status.
                Log.debugf("google error without a known status name (HTTP %d)", status);
                yield status;
            }
        };
        boolean clientFault = mapped < 500 && mapped != 429;
        Long retryAfter = retryDelaySeconds(error.path("details"));
        return ProviderErrors.fromStatus(
                mapped,
                clientFault ? "invalid_request_error" : null,
                error.path("message").asText(null),
                null,
                clientFault && !rpcStatus.isEmpty() ? rpcStatus.toLowerCase(Locale.ROOT) : null,
                retryAfter != null ? retryAfter : ProviderErrors.retryAfterSeconds(headers));
    }

    /** {@code RetryInfo.retryDelay}, a protobuf Duration such as {@code "34.4s"}, rounded up to whole seconds. */
    static Long retryDelaySeconds(JsonNode details) {
        for (JsonNode detail : details) {
            if (detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
                String delay = detail.path("retryDelay").asText("");
                if (delay.endsWith("s")) {
                    try {
                        return new BigDecimal(delay.substring(0, delay.length() - 1))
                                .setScale(0, RoundingMode.CEILING)
                                .longValueExact();
                    } catch (NumberFormatException | ArithmeticException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
