package io.tokenhub.routing.inbound;

import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import java.time.Instant;

/**
 * A request as it arrived from gateway-service, with who sent it.
 *
 * @param requestId the id the gateway made for this request, the one billing deduplicates on
 * @param accountId the account the gateway authenticated
 * @param keyId the API key id the gateway authenticated
 * @param keyName that key's name, as its owner gave it; null when the gateway sent none
 * @param receivedAt wall-clock arrival, the instant prices are taken at
 * @param startNanos monotonic arrival, for latencies
 * @param clientRequestId the client's own {@code X-Inferoute-Request-Id}, a correlation id; null when none was sent
 * @param api the public API the request came in through, see {@link ApiRoutes}; null on routes that bill nothing
 */
public record InboundRequest(
        String requestId,
        String accountId,
        String keyId,
        String keyName,
        Instant receivedAt,
        long startNanos,
        String clientRequestId,
        Api api) {

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * The usage event of this request as answered by {@code model}: who asked, when and how long it took come from
     * here, the rest from the caller.
     */
    public UsageEvent usageEvent(
            String requestedModel,
            CatalogModel model,
            long inputTokens,
            long outputTokens,
            long cachedTokens,
            long cacheWrite5mTokens,
            long cacheWrite1hTokens,
            Long timeToFirstTokenMs,
            RequestStatus status,
            int httpStatus,
            int fallbackAttempts,
            boolean streamed,
            UsageSource usageSource) {
        return new UsageEvent(
                UsageEvent.CURRENT_VERSION,
                requestId,
                accountId,
                keyId,
                requestedModel,
                model.id(),
                model.provider().wireName(),
                model.providerModel(),
                inputTokens,
                outputTokens,
                cachedTokens,
                elapsedMillis(),
                timeToFirstTokenMs,
                status,
                httpStatus,
                fallbackAttempts,
                streamed,
                receivedAt,
                clientRequestId,
                keyName,
                api,
                usageSource,
                cacheWrite5mTokens,
                cacheWrite1hTokens);
    }
}
