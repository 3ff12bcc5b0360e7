package io.tokenhub.health.status;

import java.time.Instant;

/**
 * One thing health-monitor learned about a provider or model.
 *
 * @param at when it happened
 * @param success whether the provider answered
 * @param latencyMs how long the call took
 * @param source whether it was our probe or a call routing-service made for a client
 */
public record Observation(Instant at, boolean success, long latencyMs, Source source) {

    /** Where an observation comes from: only probe latencies say whether a provider is slow. */
    public enum Source {
        /** health-monitor's own models-list call. */
        PROBE,
        /** A client request routing-service made, reported on tokenhub.provider-outcomes. */
        TRAFFIC
    }
}
