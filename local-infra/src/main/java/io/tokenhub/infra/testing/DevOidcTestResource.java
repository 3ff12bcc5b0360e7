package io.tokenhub.infra.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.infra.DevTokens;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Points Quarkus OIDC at a key pair made for this test JVM and hands the private half to the tests through config
 * ({@value #SIGNING_KEY}), so they can mint dashboard tokens the service verifies for real.
 */
public class DevOidcTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String SIGNING_KEY = "test.tokenhub.oidc-signing-key";

    @Override
    public Map<String, String> start() {
        DevTokens tokens = DevTokens.generate();
        return Map.of(
                "quarkus.oidc.public-key",
                tokens.publicKey(),
                "quarkus.oidc.token.issuer",
                DevTokens.ISSUER,
                SIGNING_KEY,
                tokens.privateKey());
    }

    @Override
    public void stop() {}

    /** A token for a member of {@code account}, signed with this test run's key. */
    public static String tokenFor(String account, String... roles) {
        return DevTokens.mint(signingKey(), "user-of-" + account, account, Set.of(roles), Duration.ofMinutes(30));
    }

    /**
     * A token like {@link #tokenFor} but minted for another client of the same issuer: the same key and claims, only
     * its audience is {@code audience}. The services must refuse it.
     */
    public static String tokenForAudience(String audience, String account, String... roles) {
        return DevTokens.mint(
                signingKey(),
                "user-of-" + account,
                account,
                Set.of(roles),
                Duration.ofMinutes(30),
                Map.of("aud", audience));
    }

    private static String signingKey() {
        return ConfigProvider.getConfig().getValue(SIGNING_KEY, String.class);
    }
}
