package io.tokenhub.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A provider's (or one of its models') health, as published on the compacted topic
 * {@code tokenhub.provider-availability}; the record key is {@code provider} or {@code provider/model}, so the
 * latest value per key is the current state.
 *
 * @param provider provider wire name
 * @param model catalog model id when this is about one model; null for the whole provider
 * @param status current verdict
 * @param errorRate share of failed probes and reported calls over the window, 0 to 1
 * @param latencyMs latency of the last successful probe
 * @param checkedAt when the verdict was made
 */
public record AvailabilityEvent(
        @JsonProperty("provider") String provider,
        @JsonProperty("model") String model,
        @JsonProperty("status") AvailabilityStatus status,
        @JsonProperty("error_rate") double errorRate,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("checked_at") Instant checkedAt) {

    /** The record key on the topic. */
    public String key() {
        return model == null ? provider : provider + "/" + model;
    }
}
