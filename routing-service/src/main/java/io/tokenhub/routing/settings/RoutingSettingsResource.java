package io.tokenhub.routing.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.config.ProviderEndpoints;
import io.tokenhub.service.auth.Caller;
import io.tokenhub.service.error.ApiException;
import io.tokenhub.service.json.StrictJson;
import io.tokenhub.service.openapi.ApiErrorResponses;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/routing}: an account's routing strategy, whether fallback is on, and its preferred backup providers.
 * The account comes from the caller's token; an admin may name another with {@code ?account=}.
 */
@Path("/api/routing")
@Tag(name = "Routing settings", description = "How an account's plain model names are routed and fall back.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RoutingSettingsResource {

    /** The settings as every operation answers them, for the OpenAPI document. */
    private static final String SETTINGS_EXAMPLE = """
            {"account_id": "acme", "strategy": "latency", "fallback": true, "preferred_backup_providers": ["anthropic"],
             "follow_successors": false, "region": "eu", "updated_at": "2026-12-01T10:00:00Z"}""";

    /** JSON Merge Patch's media type (RFC 7396). */
    static final String MERGE_PATCH = "application/merge-patch+json";

    private final RoutingSettingsStore store;
    private final Caller caller;
    private final ObjectMapper json;
    private final ProviderEndpoints providers;

    public RoutingSettingsResource(
            RoutingSettingsStore store, Caller caller, ObjectMapper json, ProviderEndpoints providers) {
        this.store = store;
        this.caller = caller;
        this.json = json;
        this.providers = providers;
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "The settings in force.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RoutingSettings.class),
                            examples = @ExampleObject(name = "example", value = SETTINGS_EXAMPLE)))
    @Operation(
            summary = "Read the routing settings",
            description = "The account's strategy, fallback switch, preferred backups and region restriction; defaults"
                    + " until it sets any.")
    public RoutingSettings get(
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        return store.get(caller.account(account));
    }

    /** Replaces the settings: a field left out takes its default, as if the account had never set it. */
    @PUT
    @APIResponse(
            responseCode = "200",
            description = "The settings now in force.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RoutingSettings.class),
                            examples = @ExampleObject(name = "example", value = SETTINGS_EXAMPLE)))
    @Consumes(MediaType.APPLICATION_JSON)
    @CustomDeserialization(StrictJson.class)
    @Operation(
            summary = "Replace the routing settings",
            description = "A field left out takes its default (strategy default, fallback true, no preferred"
                    + " backups, follow_successors false: a retired model is a 404 naming its successor, region null:"
                    + " any region); an unknown field is a 400. A region must be one GET /api/routing/regions lists;"
                    + " once set, only provider endpoints in it serve the account, fallback and per-request routing"
                    + " included. Every routing-service replica applies it from the tokenhub.routing-settings topic.")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SettingsUpdate.class),
                            examples =
                                    @ExampleObject(
                                            name = "latency",
                                            value = "{\"strategy\":\"latency\",\"fallback\":true,"
                                                    + "\"preferred_backup_providers\":[\"anthropic\"],"
                                                    + "\"region\":\"eu\"}")))
    public Uni<RoutingSettings> put(
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account,
            SettingsUpdate update) {
        if (update == null) {
            throw ApiException.badRequest(null, "invalid_body", "Send the settings as JSON.");
        }
        return replace(caller.account(account), update);
    }

    /**
     * Changes part of the settings with a JSON Merge Patch (RFC 7396): a field given replaces its value, a field
     * given as null goes back to its default, a field left out keeps its value.
     */
    @PATCH
    @APIResponse(
            responseCode = "200",
            description = "The settings now in force.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RoutingSettings.class),
                            examples = @ExampleObject(name = "example", value = SETTINGS_EXAMPLE)))
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @CustomDeserialization(StrictJson.class)
    @Operation(
            summary = "Change part of the routing settings",
            description = "A JSON Merge Patch (RFC 7396): a field given replaces its value, null restores its"
                    + " default, a field left out keeps its value.")
    @RequestBody(
            content = {
                @Content(
                        mediaType = MERGE_PATCH,
                        schema = @Schema(implementation = SettingsUpdate.class),
                        examples = @ExampleObject(name = "fallback off", value = "{\"fallback\":false}")),
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = SettingsUpdate.class))
            })
    public Uni<RoutingSettings> patch(
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account,
            ObjectNode patch)
            throws IOException {
        if (patch == null) {
            throw ApiException.badRequest(null, "invalid_body", "Send the changes as a JSON object.");
        }
        String accountId = caller.account(account);
        RoutingSettings current = store.get(accountId);
        ObjectNode merged = json.valueToTree(new SettingsUpdate(
                current.strategy(),
                current.fallback(),
                current.preferredBackupProviders(),
                current.followSuccessors(),
                current.region()));
        patch.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), field.getValue());
            }
        });
        return replace(
                accountId, new StrictJson().apply(json, SettingsUpdate.class).readValue(merged));
    }

    private Uni<RoutingSettings> replace(String accountId, SettingsUpdate update) {
        List<Provider> preferred =
                update.preferredBackupProviders() == null ? List.of() : update.preferredBackupProviders();
        if (preferred.stream().anyMatch(Objects::isNull) || new HashSet<>(preferred).size() != preferred.size()) {
            throw ApiException.badRequest(
                    "preferred_backup_providers",
                    "invalid_value",
                    "'preferred_backup_providers' must list distinct providers.");
        }
        if (update.region() != null && !providers.regions().contains(update.region())) {
            throw ApiException.badRequest(
                    "region",
                    "invalid_value",
                    "'region' must be a region where this TokenHub has a provider endpoint: "
                            + String.join(", ", providers.regions()) + ".");
        }
        RoutingSettings defaults = RoutingSettings.defaults(accountId);
        RoutingSettings next = new RoutingSettings(
                accountId,
                update.strategy() == null ? defaults.strategy() : update.strategy(),
                update.fallback() == null ? defaults.fallback() : update.fallback(),
                preferred,
                update.followSuccessors() == null ? defaults.followSuccessors() : update.followSuccessors(),
                update.region(),
                Instant.now());
        return Uni.createFrom().completionStage(() -> store.put(next));
    }

    /**
     * The settings a client sends; in a PUT an absent field takes its default.
     *
     * @param strategy default or latency
     * @param fallback whether fallback is on
     * @param preferredBackupProviders backups to try first
     * @param followSuccessors whether a retired model's successor answers for it
     * @param region the only region whose endpoints may serve the account; null for any
     */
    public record SettingsUpdate(
            @JsonProperty("strategy") Strategy strategy,
            @JsonProperty("fallback") Boolean fallback,
            @JsonProperty("preferred_backup_providers") List<Provider> preferredBackupProviders,
            @JsonProperty("follow_successors") Boolean followSuccessors,
            @JsonProperty("region") String region) {}
}
