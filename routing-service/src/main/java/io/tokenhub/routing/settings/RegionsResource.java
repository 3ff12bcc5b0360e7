package io.tokenhub.routing.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.config.ProviderEndpoints;
import io.tokenhub.routing.config.ProviderEndpoints.EndpointConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/routing/regions}: the regions this TokenHub has provider endpoints in, and which providers serve each,
 * so an account (or a dashboard) can choose the region it is restricted to. Endpoint URLs stay private: an operator's
 * may be internal.
 */
@Path("/api/routing/regions")
@Tag(name = "Routing settings", description = "How an account's plain model names are routed and fall back.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RegionsResource {

    private static final String REGIONS_EXAMPLE = """
            {"regions": [{"region": "eu", "providers": ["openai", "mistral"]},
             {"region": "us", "providers": ["openai", "anthropic", "google", "meta"]}]}""";

    private final ProviderEndpoints providers;

    public RegionsResource(ProviderEndpoints providers) {
        this.providers = providers;
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "The regions with provider endpoints.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Regions.class),
                            examples = @ExampleObject(name = "example", value = REGIONS_EXAMPLE)))
    @Operation(
            summary = "List the regions",
            description = "Each region where a provider endpoint is configured, by name, with its providers in"
                    + " TokenHub's provider order; the same for every account.")
    public Regions list() {
        Map<String, TreeSet<Provider>> byRegion = providers.all().stream()
                .collect(Collectors.groupingBy(
                        EndpointConfig::region,
                        TreeMap::new,
                        Collectors.mapping(EndpointConfig::provider, Collectors.toCollection(TreeSet::new))));
        return new Regions(byRegion.entrySet().stream()
                .map(entry -> new Region(
                        entry.getKey(),
                        entry.getValue().stream().map(Provider::wireName).toList()))
                .toList());
    }

    /**
     * Body of {@code GET /api/routing/regions}.
     *
     * @param regions every region with an endpoint, by name
     */
    public record Regions(@JsonProperty("regions") List<Region> regions) {}

    /**
     * One region.
     *
     * @param region its code, as {@code region} in the routing settings takes it
     * @param providers the providers with an endpoint in it
     */
    public record Region(
            @JsonProperty("region") String region,
            @JsonProperty("providers") List<String> providers) {}
}
