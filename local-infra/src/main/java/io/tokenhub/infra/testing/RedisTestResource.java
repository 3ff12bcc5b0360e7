package io.tokenhub.infra.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.infra.LocalRedis;
import java.util.Map;

/**
 * A real Redis for {@code *IT} tests, one per test JVM, handed to the gateway as its shared rate-limit store
 * ({@value #URL_PROPERTY}).
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String URL_PROPERTY = "tokenhub.rate-limits.redis-url";

    private static LocalRedis redis;

    public static synchronized LocalRedis redis() {
        if (redis == null) {
            redis = LocalRedis.start(0);
        }
        return redis;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(URL_PROPERTY, redis().url());
    }

    @Override
    public void stop() {
        // Shared with later test classes of this JVM; its shutdown hook stops it when the JVM ends.
    }
}
