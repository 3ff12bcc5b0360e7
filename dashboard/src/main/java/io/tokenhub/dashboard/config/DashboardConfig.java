package io.tokenhub.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The dashboard's own settings, under {@code tokenhub.dashboard}; the services' URLs are REST client keys. */
@ConfigMapping(prefix = "tokenhub.dashboard")
public interface DashboardConfig {

    /** Ledger lines per table page: the table pages through billing's cursor and never loads more than this. */
    @WithDefault("50")
    int ledgerPageSize();

    /** Seconds between two refreshes of the providers page. */
    @WithDefault("5")
    int providersRefreshSeconds();

    /** The support chat's settings, under {@code tokenhub.dashboard.support}. */
    Support support();

    /** The support chat: who may open its socket. */
    interface Support {

        /** Origins besides the dashboard's own Host that may open the socket, e.g. the public URL behind a proxy. */
        Optional<List<String>> allowedOrigins();
    }
}
