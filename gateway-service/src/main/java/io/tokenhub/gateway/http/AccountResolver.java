package io.tokenhub.gateway.http;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.tokenhub.gateway.config.GatewayConfig;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The account a dashboard call acts on: the one in the caller's token, or, for an admin only, the one named in the
 * request. A member naming another account is refused without learning whether it exists.
 */
@RequestScoped
public class AccountResolver {

    private final SecurityIdentity identity;
    private final GatewayConfig config;

    public AccountResolver(SecurityIdentity identity, GatewayConfig config) {
        this.identity = identity;
        this.config = config;
    }

    public String resolve(String requested) {
        boolean admin = identity.hasRole(config.auth().adminRole());
        String own = own();
        if (requested == null || requested.isBlank() || requested.equals(own)) {
            if (own == null) {
                throw new ForbiddenException("The token names no account (claim '" + config.auth().accountClaim()
                        + "').");
            }
            return own;
        }
        if (!admin) {
            throw new ForbiddenException("You may act on your own account only.");
        }
        return requested;
    }

    private String own() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(config.auth().accountClaim());
            return claim == null ? null : claim.toString().replace("\"", "");
        }
        return null;
    }
}
