package io.tokenhub.routing.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.simulator.SimulatorServer;
import java.util.HashMap;
import java.util.Map;

/** All five provider simulators on free ports, as routing-service's providers; tests steer them through {@link #server()}. */
public class SimulatorTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile SimulatorServer server;

    @Override
    public Map<String, String> start() {
        server = SimulatorServer.startOnFreePorts();
        Map<String, String> config = new HashMap<>();
        for (String provider : SimulatorServer.DEFAULT_PORTS.keySet()) {
            config.put("tokenhub.providers." + provider + ".base-url", server.sdkBaseUrl(provider));
            config.put("tokenhub.providers." + provider + ".api-key", "sim-" + provider + "-key");
            config.put("test.simulator." + provider + ".url", server.baseUrl(provider));
        }
        return config;
    }

    /** The running simulators, for behaviours and recorded requests. */
    public static SimulatorServer server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
