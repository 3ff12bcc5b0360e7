package io.tokenhub.gateway;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tokenhub.gateway.config.GatewayConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The real {@link GatewayConfig} mapping built from a few properties, for unit tests that run without Quarkus. */
public final class TestConfigs {

    private TestConfigs() {}

    public static GatewayConfig gateway(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("tokenhub.internal.secret", "unit-test-internal-secret");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "unit-test", 100))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
