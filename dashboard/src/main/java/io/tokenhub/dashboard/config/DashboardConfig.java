package io.tokenhub.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The dashboard's own settings, under {@code tokenhub.dashboard}; the services' URLs are REST client keys. */
@ConfigMapping(prefix = "tokenhub.dashboard")
public interface DashboardConfig {

    /** Ledger lines per table page: the table pages through billing's cursor and never loads more than this. */
    @WithDefault("50")
    int ledgerPageSize();

    /** Seconds between two refreshes of the providers page. */
    @WithDefault("5")
    int providersRefreshSeconds();
}
