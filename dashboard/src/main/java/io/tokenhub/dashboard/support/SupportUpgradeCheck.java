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
            boolean admin = identity.hasRole(auth.adminRole());
            Optional<String> account = account(identity);
            if (account.isEmpty() && !admin) {
                return CheckResult.rejectUpgradeSync(403);
            }
            context.userData().put(ACCOUNT, account.orElse(""));
            context.userData().put(ADMIN, admin);
            context.userData().put(NAME, identity.getPrincipal().getName());
            return CheckResult.permitUpgradeSync();
        });
    }

    private Optional<String> account(SecurityIdentity identity) {
        return identity.getPrincipal() instanceof JsonWebToken jwt
                ? AccountIds.fromClaim(jwt.getClaim(auth.accountClaim()))
                : Optional.empty();
    }
}
