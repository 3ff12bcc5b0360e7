package io.tokenhub.billing.access;

import io.quarkus.security.identity.SecurityIdentity;
import io.tokenhub.billing.api.ApiException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns the caller's token into the accounts it may read: its own account (from the configured claim), or any
 * account for the administrator role. A member naming another account is refused; it never gets that data.
 */
@RequestScoped
public class CallerAccess {

    private final SecurityIdentity identity;
    private final AccessConfig config;

    public CallerAccess(SecurityIdentity identity, AccessConfig config) {
        this.identity = identity;
        this.config = config;
    }

    public boolean isAdmin() {
        return identity.hasRole(config.adminRole());
    }

    /** The scope for an optional {@code ?account=}: every account for an administrator who names none. */
    public AccountScope scope(String requestedAccount) {
        String requested = blankToNull(requestedAccount);
        if (isAdmin()) {
            return requested == null ? AccountScope.everyAccount() : AccountScope.of(requested);
        }
        String own = ownAccount();
        if (requested != null && !requested.equals(own)) {
            throw ApiException.forbidden("account_forbidden", "This token may only read its own account.");
        }
        return AccountScope.of(own);
    }

    /** One account, for views that only make sense per account (an invoice): administrators must name it. */
    public String singleAccount(String requestedAccount) {
        AccountScope scope = scope(requestedAccount);
        return scope.account().orElseThrow(() -> ApiException.badRequest("account", "account_required",
                "Name the account with ?account= (administrator tokens belong to no single account)."));
    }

    private String ownAccount() {
        Object claim = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(config.accountClaim())
                : null;
        // smallrye-jwt hands custom string claims back either as String or as JsonString, depending on the claim.
        String text = claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
        String account = blankToNull(text);
        if (account == null) {
            throw ApiException.forbidden("no_account", "The token carries no '" + config.accountClaim()
                    + "' claim, so it belongs to no account.");
        }
        return account;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
