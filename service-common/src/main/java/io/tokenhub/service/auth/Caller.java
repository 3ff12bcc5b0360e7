package io.tokenhub.service.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.tokenhub.service.error.ApiException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling a dashboard API: the account in the caller's token and whether the caller is an administrator. A
 * member acts on its own account only and, naming another, is refused without learning whether it exists; an
 * administrator may name any account.
 */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;
    private final AuthConfig config;

    public Caller(SecurityIdentity identity, AuthConfig config) {
        this.identity = identity;
        this.config = config;
    }

    public boolean isAdmin() {
        return identity.hasRole(config.adminRole());
    }

    /** The account the token names, empty when it names none (an administrator's token may not). */
    public Optional<String> ownAccount() {
        return identity.getPrincipal() instanceof JsonWebToken jwt
                ? AccountIds.fromClaim(jwt.getClaim(config.accountClaim()))
                : Optional.empty();
    }

    /**
     * The account a call acts on: the caller's own when {@code requested} is blank or names it, else the requested
     * one for an administrator; a 403 otherwise.
     */
    public String account(String requested) {
        Optional<String> own = ownAccount();
        if (requested == null
                || requested.isBlank()
                || own.filter(requested.trim()::equals).isPresent()) {
            return own.orElseThrow(() -> ApiException.forbidden(
                    "no_account",
                    "The token carries no valid '" + config.accountClaim() + "' claim, so it belongs to no account."));
        }
        if (!isAdmin()) {
            throw ApiException.forbidden("account_forbidden", "This token may act on its own account only.");
        }
        return AccountIds.parse(requested)
                .orElseThrow(() -> ApiException.badRequest(
                        "account",
                        "invalid_account",
                        "'account' must be 1 to 128 letters, digits, '.', '_', ':', '@' or '-'."));
    }
}
