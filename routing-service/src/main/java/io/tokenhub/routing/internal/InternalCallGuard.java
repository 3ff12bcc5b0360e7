package io.tokenhub.routing.internal;

import io.tokenhub.common.http.InternalSignature;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets only gateway-service in: the call must carry an {@link InternalSignature} by the current secret or one
 * accepted during a rotation, made within the allowed clock skew, over exactly the account, key and request id it
 * names, since routing-service bills whatever account the gateway names. A network policy is not relied on.
 */
@ApplicationScoped
public class InternalCallGuard {

    private static final OpenAiError UNSIGNED = new OpenAiError(
            401,
            "invalid_request_error",
            "routing-service accepts calls from gateway-service only.",
            null,
            "internal_auth_required",
            null);

    private final List<InternalSignature> accepted;
    private final long maxSkewSeconds;

    public InternalCallGuard(RoutingConfig config) {
        List<InternalSignature> signatures = new ArrayList<>();
        signatures.add(new InternalSignature(config.internal().secret()));
        config.internal().acceptedSecrets().orElse(List.of()).stream()
                .filter(secret -> !secret.isBlank())
                .map(InternalSignature::new)
                .forEach(signatures::add);
        this.accepted = List.copyOf(signatures);
        this.maxSkewSeconds = config.internal().maxClockSkew().toSeconds();
    }

    /** The error to answer with, or empty when the call may proceed. */
    public Optional<OpenAiError> check(HttpServerRequest request) {
        String account = request.getHeader(TokenHubHeaders.ACCOUNT_ID);
        String keyId = request.getHeader(TokenHubHeaders.KEY_ID);
        String requestId = request.getHeader(TokenHubHeaders.REQUEST_ID);
        Optional<Long> signedAt = epochSeconds(request.getHeader(TokenHubHeaders.INTERNAL_TIMESTAMP));
        if (signedAt.isEmpty() || Math.abs(System.currentTimeMillis() / 1000 - signedAt.get()) > maxSkewSeconds) {
            return Optional.of(UNSIGNED);
        }
        boolean signed = InternalSignature.anyMatches(
                accepted,
                request.getHeader(TokenHubHeaders.INTERNAL_SIGNATURE),
                request.method().name(),
                request.uri(),
                Objects.toString(account, ""),
                Objects.toString(keyId, ""),
                Objects.toString(requestId, ""),
                signedAt.get());
        if (!signed) {
            return Optional.of(UNSIGNED);
        }
        if (blank(account) || blank(keyId) || blank(requestId)) {
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

    private static Optional<Long> epochSeconds(String header) {
        if (header == null || header.isEmpty() || header.length() > 12) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(header));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
