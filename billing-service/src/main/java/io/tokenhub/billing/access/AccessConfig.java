package io.tokenhub.billing.access;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a dashboard token names its account and its powers, under {@code tokenhub.auth}. */
@ConfigMapping(prefix = "tokenhub.auth")
public interface AccessConfig {

    /** JWT claim holding the caller's account id. */
    @WithDefault("tokenhub_account")
    String accountClaim();

    /** Role (from the token's {@code groups}) that may read every account. */
    @WithDefault("tokenhub-admin")
    String adminRole();
}
