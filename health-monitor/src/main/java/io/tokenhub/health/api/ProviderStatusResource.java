package io.tokenhub.health.api;

import io.quarkus.security.Authenticated;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.health.availability.PublishedAvailability;
import io.tokenhub.health.config.ProvidersConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Provider health for dashboards: exactly what is published on tokenhub.provider-availability. */
@Path("/api/providers/status")
@Authenticated
@Tag(name = "Provider status", description = "What health-monitor judges of each provider and model.")
public class ProviderStatusResource {

    /** An answer, for the OpenAPI document. */
    private static final String STATUS_EXAMPLE = """
            {"providers": [{"provider": "openai", "status": "UP", "probed": true, "error_rate": 0.0, "latency_ms": 212,
             "checked_at": "2026-12-01T17:03:00Z", "models": []},
             {"provider": "anthropic", "status": "DEGRADED", "probed": true, "error_rate": 0.12, "latency_ms": 1840,
             "checked_at": "2026-12-01T17:03:00Z",
             "models": [{"model": "claude-3-haiku", "status": "DOWN", "error_rate": 0.9, "latency_ms": 0,
             "checked_at": "2026-12-01T17:02:30Z"}]}]}""";

    private final PublishedAvailability inForce;
    private final ProvidersConfig providers;

    public ProviderStatusResource(PublishedAvailability inForce, ProvidersConfig providers) {
        this.inForce = inForce;
        this.providers = providers;
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "Every provider, in a fixed order.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProviderStatusResponse.class),
                            examples = @ExampleObject(name = "example", value = STATUS_EXAMPLE)))
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Each provider's status, error rate, latency and last check",
            description = "UP, DEGRADED or DOWN per provider and per model, as published on"
                    + " tokenhub.provider-availability; the same for every account.")
    public ProviderStatusResponse status() {
        return new ProviderStatusResponse(
                Arrays.stream(Provider.values()).map(this::status).toList());
    }

    private ProviderStatusResponse.ProviderStatus status(Provider provider) {
        List<ProviderStatusResponse.ModelStatus> models = inForce.models(provider).stream()
                .map(ProviderStatusResponse.ModelStatus::of)
                .toList();
        boolean probed = providers.probed(provider);
        return inForce.provider(provider)
                .map(event -> ProviderStatusResponse.ProviderStatus.of(event, probed, models))
                .orElseGet(() -> ProviderStatusResponse.ProviderStatus.unknown(provider.wireName(), probed, models));
    }
}
