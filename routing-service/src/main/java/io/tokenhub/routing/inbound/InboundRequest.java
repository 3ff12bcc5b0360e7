package io.tokenhub.routing.inbound;

import java.time.Instant;

/**
 * A request as it arrived from gateway-service, with who sent it.
 *
 * @param requestId the id the gateway made for this request, the one billing deduplicates on
 * @param accountId the account the gateway authenticated
 * @param keyId the API key id the gateway authenticated
 * @param receivedAt wall-clock arrival, the instant prices are taken at
 * @param startNanos monotonic arrival, for latencies
 * @param clientRequestId the client's own {@code X-Inferoute-Request-Id}, a correlation id; null when none was sent
 */
public record InboundRequest(
        String requestId, String accountId, String keyId, Instant receivedAt, long startNanos, String clientRequestId) {

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
