package io.tokenhub.routing.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.service.auth.Caller;
import io.tokenhub.service.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * {@code /api/routing}: an account's routing strategy, whether fallback is on, and its preferred backup providers.
 * The account comes from the caller's token; an admin may name another with {@code ?account=}.
 */
@Path("/api/routing")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RoutingSettingsResource {

    private final RoutingSettingsStore store;
    private final Caller caller;

    public RoutingSettingsResource(RoutingSettingsStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    public RoutingSettings get(@QueryParam("account") String account) {
        return store.get(caller.account(account));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RoutingSettings> put(@QueryParam("account") String account, SettingsUpdate update) {
        if (update == null) {
            throw ApiException.badRequest(null, "invalid_body", "Send the settings as JSON.");
        }
        List<Provider> preferred =
                update.preferredBackupProviders() == null ? List.of() : update.preferredBackupProviders();
        if (preferred.stream().anyMatch(Objects::isNull) || new HashSet<>(preferred).size() != preferred.size()) {
            throw ApiException.badRequest(
                    "preferred_backup_providers",
                    "invalid_value",
                    "'preferred_backup_providers' must list distinct providers.");
        }
        RoutingSettings current = store.get(caller.account(account));
        RoutingSettings next = new RoutingSettings(
                current.accountId(),
                update.strategy() == null ? current.strategy() : update.strategy(),
                update.fallback() == null ? current.fallback() : update.fallback(),
                update.preferredBackupProviders() == null ? current.preferredBackupProviders() : preferred,
                Instant.now());
        return Uni.createFrom().completionStage(() -> store.put(next));
    }

    /**
     * A change; absent fields keep their value.
     *
     * @param strategy default or latency
     * @param fallback whether fallback is on
     * @param preferredBackupProviders backups to try first
     */
    public record SettingsUpdate(
            @JsonProperty("strategy") Strategy strategy,
            @JsonProperty("fallback") Boolean fallback,
            @JsonProperty("preferred_backup_providers") List<Provider> preferredBackupProviders) {}
}
