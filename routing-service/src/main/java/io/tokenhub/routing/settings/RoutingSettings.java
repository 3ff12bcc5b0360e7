package io.tokenhub.routing.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenhub.common.catalog.Provider;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One account's routing choices.
 *
 * @param accountId whose they are
 * @param strategy how plain model names pick a provider
 * @param fallback whether a failing provider may be replaced by an equivalent model elsewhere
 * @param preferredBackupProviders backups to try first, in order, before the group's default order
 * @param followSuccessors whether a request for a retired model is answered by its successor instead of a 404
 * @param region the only region whose provider endpoints may serve the account; null for any
 * @param updatedAt when they were last changed; null for the defaults nobody set
 */
public record RoutingSettings(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("strategy") Strategy strategy,
        @JsonProperty("fallback") boolean fallback,
        @JsonProperty("preferred_backup_providers") List<Provider> preferredBackupProviders,
        @JsonProperty("follow_successors") boolean followSuccessors,
        @Schema(nullable = true) @JsonProperty("region") String region,
        @Schema(nullable = true) @JsonProperty("updated_at") Instant updatedAt) {

    public RoutingSettings {
        preferredBackupProviders = preferredBackupProviders == null ? List.of() : List.copyOf(preferredBackupProviders);
    }

    /** The region the account is restricted to, if any. */
    public Optional<String> regionRestriction() {
        return Optional.ofNullable(region);
    }

    /** What an account gets before it sets anything: group order, fallback on, retired models refused, any region. */
    public static RoutingSettings defaults(String accountId) {
        return new RoutingSettings(accountId, Strategy.DEFAULT, true, List.of(), false, null, null);
    }
}
