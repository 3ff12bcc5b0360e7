package io.tokenhub.dashboard.support;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.tokenhub.dashboard.config.DashboardConfig;
import io.tokenhub.service.auth.AccountIds;
import io.tokenhub.service.auth.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who may open the support socket: a request from the dashboard's own origin, signed in with the pages' session
 * (the same OIDC web-app cookie), naming an account or holding the administrator role. The account and role are
 * fixed here, at the upgrade, for the connection's life.
 */
@ApplicationScoped
public class SupportUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> ACCOUNT = UserData.TypedKey.forString("account");
    static final UserData.TypedKey<Boolean> ADMIN = UserData.TypedKey.forBoolean("admin");
    static final UserData.TypedKey<String> NAME = UserData.TypedKey.forString("name");

    private final AuthConfig auth;
    private final DashboardConfig config;

    public SupportUpgradeCheck(AuthConfig auth, DashboardConfig config) {
        this.auth = auth;
        this.config = config;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return SupportSocket.ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        var request = context.httpRequest();
        if (!OriginPolicy.allows(
                request.getHeader("Origin"),
                request.getHeader("Host"),
                config.support().allowedOrigins().orElse(java.util.List.of()))) {
            return CheckResult.rejectUpgrade(403);
        }
        return context.securityIdentity().map(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return CheckResult.rejectUpgradeSync(401);
            }
            if (account(identity, auth).isEmpty() && !identity.hasRole(auth.adminRole())) {
                return CheckResult.rejectUpgradeSync(403);
            }
            return CheckResult.permitUpgradeSync();
        });
    }

    /** Fixes who the connection is for its life: its account, whether it is support, the author name it writes with. */
    static void remember(UserData data, SecurityIdentity identity, AuthConfig auth) {
        String name =
                identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
        data.put(ACCOUNT, account(identity, auth).orElse(""));
        data.put(ADMIN, identity.hasRole(auth.adminRole()));
        data.put(NAME, name == null || name.isBlank() ? "member" : name);
    }

    private static Optional<String> account(SecurityIdentity identity, AuthConfig auth) {
        return identity.getPrincipal() instanceof JsonWebToken jwt
                ? AccountIds.fromClaim(jwt.getClaim(auth.accountClaim()))
                : Optional.empty();
    }
}
