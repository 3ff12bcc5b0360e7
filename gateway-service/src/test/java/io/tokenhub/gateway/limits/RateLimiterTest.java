package io.tokenhub.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.gateway.TestConfigs;
import io.tokenhub.gateway.keys.KeyPrincipal;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The limiter with its in-process store: the decisions, the headers' figures and the plan rules. */
class RateLimiterTest {

    private static Vertx vertx;
    private static RateLimiter limiter;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        limiter = new RateLimiter(
                TestConfigs.gateway(Map.of(
                        "tokenhub.rate-limits.plans.default.key-requests-per-minute", "3",
                        "tokenhub.rate-limits.plans.default.account-requests-per-minute", "5",
                        "tokenhub.rate-limits.plans.default.key-tokens-per-minute", "1000",
                        "tokenhub.rate-limits.plans.free.key-requests-per-minute", "0",
                        "tokenhub.rate-limits.accounts.vip", "free")),
                vertx);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void aKeyGetsItsRequestsPerMinuteThenA429WithTheTimeToWait() {
        KeyPrincipal key = new KeyPrincipal("k-requests", "acct-requests", "test", null);
        for (int i = 2; i >= 0; i--) {
            Decision d = admit(key, 1);
            assertTrue(d.allowed());
            assertEquals(3, d.requests().orElseThrow().limit());
            assertEquals(i, d.requests().orElseThrow().remaining());
        }
        Decision refused = admit(key, 1);
        assertFalse(refused.allowed());
        assertEquals(Decision.Dimension.REQUESTS, refused.refused().orElseThrow());
        // One request frees up every 20 s at 3 per minute.
        assertTrue(
                refused.retryAfterMillis() > 19_000 && refused.retryAfterMillis() <= 20_000,
                "retry after " + refused.retryAfterMillis());
        assertTrue(refused.requests().orElseThrow().resetMillis() > 59_000);
        assertEquals(0, refused.requests().orElseThrow().remaining());
    }

    @Test
    void theAccountLimitCoversAllItsKeysAndARefusalTakesNothing() {
        for (int i = 0; i < 3; i++) {
            assertTrue(admit(new KeyPrincipal("k-a" + i, "acct-shared", "test", null), 1)
                    .allowed());
        }
        assertTrue(
                admit(new KeyPrincipal("k-b", "acct-shared", "test", null), 1).allowed());
        assertTrue(
                admit(new KeyPrincipal("k-b", "acct-shared", "test", null), 1).allowed());
        Decision refused = admit(new KeyPrincipal("k-c", "acct-shared", "test", null), 1);
        assertFalse(refused.allowed());
        // The headers report the tighter of key and account: the account, empty.
        assertEquals(5, refused.requests().orElseThrow().limit());
        assertEquals(0, refused.requests().orElseThrow().remaining());
        // k-c's own bucket was given back: a new account of its own would still have its three requests.
        assertEquals(
                2,
                admit(new KeyPrincipal("k-c", "acct-other", "test", null), 1)
                        .requests()
                        .orElseThrow()
                        .remaining());
    }

    @Test
    void tokensAreLimitedByTheEstimateAndAnImpossibleRequestSaysSo() {
        KeyPrincipal key = new KeyPrincipal("k-tokens", "acct-tokens", "test", null);
        Decision first = admit(key, 600);
        assertTrue(first.allowed());
        assertEquals(400, first.tokens().orElseThrow().remaining());
        Decision refused = admit(key, 600);
        assertFalse(refused.allowed());
        assertEquals(Decision.Dimension.TOKENS, refused.refused().orElseThrow());
        assertFalse(refused.neverFits());
        // 200 more tokens are needed; at 1000 a minute that is 12 s.
        assertTrue(
                refused.retryAfterMillis() > 11_900 && refused.retryAfterMillis() <= 12_000,
                "retry after " + refused.retryAfterMillis());
        // The refused request did not use a request either.
        assertEquals(2, refused.requests().orElseThrow().remaining());
        Decision huge = admit(new KeyPrincipal("k-huge", "acct-huge", "test", null), 1_001);
        assertFalse(huge.allowed());
        assertTrue(huge.neverFits());
    }

    @Test
    void anAccountOnAPlanWithoutLimitsIsNeverRefused() {
        KeyPrincipal vip = new KeyPrincipal("k-vip", "vip", "test", null);
        for (int i = 0; i < 100; i++) {
            Decision d = admit(vip, 1_000_000);
            assertTrue(d.allowed());
            assertTrue(d.requests().isEmpty());
            assertTrue(d.tokens().isEmpty());
        }
    }

    @Test
    void plansMustExist() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RateLimiter(
                        TestConfigs.gateway(Map.of(
                                "tokenhub.rate-limits.plans.default.key-requests-per-minute", "3",
                                "tokenhub.rate-limits.accounts.acme", "gold")),
                        vertx));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RateLimiter(
                        TestConfigs.gateway(Map.of("tokenhub.rate-limits.default-plan", "missing")), vertx));
    }

    private static Decision admit(KeyPrincipal key, long tokens) {
        return limiter.admit(key, tokens).toCompletableFuture().join();
    }
}
