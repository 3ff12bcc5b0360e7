package io.tokenhub.health.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.common.events.AvailabilityStatus;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code GET /api/providers/status}.
 *
 * @param providers every provider TokenHub knows, in a fixed order
 */
public record ProviderStatusResponse(
        @JsonProperty("providers") List<ProviderStatus> providers) {

    /** A status as the API reports it: the published one, or UNKNOWN while nothing has been published. */
    public enum ReportedStatus {
        UP,
        DEGRADED,
        DOWN,
        UNKNOWN;

        static ReportedStatus of(AvailabilityStatus status) {
            return switch (status) {
                case UP -> UP;
                case DEGRADED -> DEGRADED;
                case DOWN -> DOWN;
            };
        }
    }

    /**
     * One provider.
     *
     * @param provider provider wire name
     * @param status current status
     * @param probed whether health-monitor probes it (it has a base URL); others are judged from traffic alone
     * @param errorRate share of failed probes and calls over the window; null while unknown
     * @param latencyMs latency of the last successful probe (or call); null while unknown
     * @param checkedAt when the status was last judged; null while unknown
     * @param models the provider's models whose status differs from the provider's
     */
    public record ProviderStatus(
            @JsonProperty("provider") String provider,
            @JsonProperty("status") ReportedStatus status,
            @JsonProperty("probed") boolean probed,

            @Schema(nullable = true) @JsonProperty("error_rate")
            Double errorRate,

            @Schema(nullable = true) @JsonProperty("latency_ms")
            Long latencyMs,

            @Schema(nullable = true) @JsonProperty("checked_at")
            Instant checkedAt,

            @JsonProperty("models") List<ModelStatus> models) {

        static ProviderStatus unknown(String provider, boolean probed, List<ModelStatus> models) {
            return new ProviderStatus(provider, ReportedStatus.UNKNOWN, probed, null, null, null, models);
        }

        static ProviderStatus of(AvailabilityEvent event, boolean probed, List<ModelStatus> models) {
            return new ProviderStatus(
                    event.provider(),
                    ReportedStatus.of(event.status()),
                    probed,
                    event.errorRate(),
                    event.latencyMs(),
                    event.checkedAt(),
                    models);
        }
    }

    /**
     * One model whose status differs from its provider's.
     *
     * @param model catalog model id
     * @param status current status
     * @param errorRate share of failed calls for this model over the window
     * @param latencyMs latency of the last successful call for this model
     * @param checkedAt when the status was last judged
     */
    public record ModelStatus(
            @JsonProperty("model") String model,
            @JsonProperty("status") ReportedStatus status,
            @JsonProperty("error_rate") double errorRate,
            @JsonProperty("latency_ms") long latencyMs,
            @JsonProperty("checked_at") Instant checkedAt) {

        static ModelStatus of(AvailabilityEvent event) {
            return new ModelStatus(
                    event.model(),
                    ReportedStatus.of(event.status()),
                    event.errorRate(),
                    event.latencyMs(),
                    event.checkedAt());
        }
    }
}
