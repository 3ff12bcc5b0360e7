package io.tokenhub.health.probe;

import io.tokenhub.common.catalog.Provider;
import java.time.Instant;

/**
 * How one probe went.
 *
 * @param provider the provider probed
 * @param failure why it failed; null when it succeeded
 * @param httpStatus the status the provider answered with; 0 when it did not answer
 * @param latencyMs from sending the request until the response, or until the failure
 * @param at when the probe ended
 */
public record ProbeResult(Provider provider, Failure failure, int httpStatus, long latencyMs, Instant at) {

    public boolean success() {
        return failure == null;
    }

    /** Why a probe failed. */
    public enum Failure {
        /** Connection refused, reset or closed before a response. */
        CONNECTION,
        /** No response within tokenhub.health.probe-timeout. */
        TIMEOUT,
        /** 5xx, Anthropic's 529 included. */
        SERVER_ERROR,
        /** 429: TokenHub's quota with the provider is exhausted, so real calls fail too. */
        RATE_LIMITED,
        /** Any other 4xx: the key is refused or the base URL is wrong, so real calls fail too. */
        REJECTED
    }
}
