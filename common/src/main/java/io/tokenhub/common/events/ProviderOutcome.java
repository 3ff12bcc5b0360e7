package io.tokenhub.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The result of one call routing-service made to a provider, published on {@value Topics#PROVIDER_OUTCOMES}
 * (key: provider) so health-monitor can combine what real traffic sees with its own probes. One request that falls
 * back produces one outcome per provider tried.
 *
 * @param provider provider wire name
 * @param model catalog model id that was asked for
 * @param success whether the provider answered (a client error such as 400 counts as an answer)
 * @param failureKind why it failed, null on success
 * @param latencyMs until the response head, or until the failure
 * @param at when the call ended
 */
public record ProviderOutcome(
        @JsonProperty("provider") String provider,
        @JsonProperty("model") String model,
        @JsonProperty("success") boolean success,
        @JsonProperty("failure_kind") FailureKind failureKind,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("at") Instant at) {

    /** Provider failures that count against its health and allow a fallback. */
    public enum FailureKind {
        /** Connection refused, reset or closed early. */
        CONNECTION,
        /** No response head within the deadline (a stall before the first byte included). */
        TIMEOUT,
        /** HTTP 5xx, Anthropic's 529 included. */
        SERVER_ERROR,
        /** HTTP 429 or the provider's own quota error. */
        RATE_LIMITED,
        /** Skipped without a call because its circuit breaker was open. */
        CIRCUIT_OPEN
    }
}
