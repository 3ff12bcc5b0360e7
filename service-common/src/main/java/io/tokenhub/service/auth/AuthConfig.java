package io.tokenhub.service.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a dashboard token names its account and its powers, under {@code tokenhub.auth}, the same in every service. */
@ConfigMapping(prefix = "tokenhub.auth")
public interface AuthConfig {

    /** JWT claim holding the caller's account id. */
    @WithDefault("tokenhub_account")
    String accountClaim();

    /** Role (from the token's {@code groups} claim) that may act on every account. */
    @WithDefault("tokenhub-admin")
    String adminRole();
}
