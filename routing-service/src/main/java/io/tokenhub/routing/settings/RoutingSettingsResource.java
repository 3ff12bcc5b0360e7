package io.tokenhub.routing.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.config.RoutingConfig;
import jakarta.ws.rs.BadRequestException;
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
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /api/routing}: an account's routing strategy, whether fallback is on, and its preferred backup providers.
 * The account comes from the caller's token; an admin may name another with {@code ?account=}.
 */
@Path("/api/routing")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RoutingSettingsResource {

    private final RoutingSettingsStore store;
    private final SecurityIdentity identity;
    private final String accountClaim;
    private final String adminRole;

    public RoutingSettingsResource(RoutingSettingsStore store, SecurityIdentity identity, RoutingConfig config) {
        this.store = store;
        this.identity = identity;
        this.accountClaim = config.auth().accountClaim();
        this.adminRole = config.auth().adminRole();
    }

    @GET
    public RoutingSettings get(@QueryParam("account") String account) {
        return store.get(account(account));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RoutingSettings> put(@QueryParam("account") String account, SettingsUpdate update) {
        if (update == null) {
            throw new BadRequestException("Send the settings as JSON.");
        }
        List<Provider> preferred = update.preferredBackupProviders() == null ? List.of()
                : update.preferredBackupProviders();
        if (preferred.stream().anyMatch(Objects::isNull) || new HashSet<>(preferred).size() != preferred.size()) {
            throw new BadRequestException("'preferred_backup_providers' must list distinct providers.");
        }
        RoutingSettings current = store.get(account(account));
        RoutingSettings next = new RoutingSettings(current.accountId(),
                update.strategy() == null ? current.strategy() : update.strategy(),
                update.fallback() == null ? current.fallback() : update.fallback(),
                update.preferredBackupProviders() == null ? current.preferredBackupProviders() : preferred,
                Instant.now());
        return Uni.createFrom().completionStage(() -> store.put(next));
    }

    private String account(String requested) {
        String own = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getClaim(accountClaim) != null
                ? jwt.getClaim(accountClaim).toString().replace("\"", "") : null;
        if (requested == null || requested.isBlank() || requested.equals(own)) {
            if (own == null) {
                throw new ForbiddenException("The token names no account (claim '" + accountClaim + "').");
            }
            return own;
        }
        if (!identity.hasRole(adminRole)) {
            throw new ForbiddenException("You may act on your own account only.");
        }
        return requested;
    }

    /**
     * A change; absent fields keep their value.
     *
     * @param strategy default or latency
     * @param fallback whether fallback is on
     * @param preferredBackupProviders backups to try first
     */
    public record SettingsUpdate(@JsonProperty("strategy") Strategy strategy,
            @JsonProperty("fallback") Boolean fallback,
            @JsonProperty("preferred_backup_providers") List<Provider> preferredBackupProviders) {
    }
}
