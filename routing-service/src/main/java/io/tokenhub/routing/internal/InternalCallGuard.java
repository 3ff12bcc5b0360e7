package io.tokenhub.routing.internal;

import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Lets only gateway-service in: the shared secret must match (compared in constant time) and the account and key ids
 * must be present, since routing-service bills whatever account the gateway names.
 */
@ApplicationScoped
public class InternalCallGuard {

    private final byte[] secret;

    public InternalCallGuard(RoutingConfig config) {
        this.secret = config.internal().secret().getBytes(StandardCharsets.UTF_8);
        if (secret.length < 16) {
            throw new IllegalArgumentException("tokenhub.internal.secret must be at least 16 characters");
        }
    }

    /** The error to answer with, or empty when the call may proceed. */
    public Optional<OpenAiError> check(HttpServerRequest request) {
        String presented = request.getHeader(TokenHubHeaders.INTERNAL_SECRET);
        if (presented == null || !MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new OpenAiError(
                    401,
                    "invalid_request_error",
                    "routing-service accepts calls from gateway-service only.",
                    null,
                    "internal_auth_required",
                    null));
        }
        if (blank(request.getHeader(TokenHubHeaders.ACCOUNT_ID))
                || blank(request.getHeader(TokenHubHeaders.KEY_ID))
                || blank(request.getHeader(TokenHubHeaders.REQUEST_ID))) {
            return Optional.of(new OpenAiError(
                    400,
                    "invalid_request_error",
                    "Internal call without account, key or request id.",
                    null,
                    null,
                    null));
        }
        return Optional.empty();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
