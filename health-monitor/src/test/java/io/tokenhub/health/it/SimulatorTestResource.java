package io.tokenhub.health.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.SimulatorServer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the provider simulators on free loopback ports and points {@code tokenhub.providers.<p>.base-url} at them, as
 * the local run does with the fixed ports. Every simulator the module offers runs except Meta's, whose base URL is
 * cleared (as is any other provider's without a simulator), so the tests also see a provider that is not probed.
 */
public class SimulatorTestResource implements QuarkusTestResourceLifecycleManager {

    /** What each provider's SDK appends to the host for its base URL (docs/api.md, "Provider configuration"). */
    private static final Map<String, String> SDK_BASE_PATHS = Map.of("openai", "/v1", "meta", "/compat/v1");

    /** The provider left without a base URL. */
    public static final String UNPROBED = "meta";

    private static SimulatorServer server;
    private static List<String> providers;

    @Override
    public synchronized Map<String, String> start() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        SimulatorServer.all().stream()
                .map(SimulatedProvider::name)
                .filter(name -> !name.equals(UNPROBED))
                .forEach(name -> ports.put(name, 0));
        providers = List.copyOf(ports.keySet());
        server = SimulatorServer.start(ports);
        Map<String, String> config = new HashMap<>();
        for (Provider provider : Provider.values()) {
            String name = provider.wireName();
            // An empty value unsets the built-in default (the provider's public endpoint).
            config.put("tokenhub.providers." + name + ".base-url", providers.contains(name) ? baseUrl(name) : "");
            config.put("tokenhub.providers." + name + ".api-key", "sk-health-monitor-test-" + name);
        }
        return config;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public static SimulatorServer server() {
        return server;
    }

    /** The providers with a running simulator. */
    public static List<String> providers() {
        return providers;
    }

    /** The base URL as the provider's SDK (and TokenHub's config) means it. */
    public static String baseUrl(String provider) {
        return server.baseUrl(provider) + SDK_BASE_PATHS.getOrDefault(provider, "");
    }
}
