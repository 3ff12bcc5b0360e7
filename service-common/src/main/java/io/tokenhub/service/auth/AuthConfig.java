package io.tokenhub.service.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a dashboard token names its account and its powers, under {@code tokenhub.auth}, the same in every service. */
@ConfigMapping(prefix = "tokenhub.auth")
public interface AuthConfig {

    /** JWT claim holding the caller's account id. */
    @WithDefault("tokenhub_account")
    String accountClaim();

    /**
     * Audience a token must carry to be accepted, so one minted for another client of the same realm is refused;
     * Quarkus OIDC checks it as {@code quarkus.oidc.token.audience} (META-INF/microprofile-config.properties).
     */
    String audience();

    /** Role (from the token's {@code groups} claim) that may act on every account. */
    @WithDefault("tokenhub-admin")
    String adminRole();
}
