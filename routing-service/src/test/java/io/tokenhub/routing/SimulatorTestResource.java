package io.tokenhub.routing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.simulator.SimulatorServer;
import java.util.Map;

/** The OpenAI simulator on a free port, as routing-service's OpenAI provider. */
public class SimulatorTestResource implements QuarkusTestResourceLifecycleManager {

    private SimulatorServer server;

    @Override
    public Map<String, String> start() {
        server = SimulatorServer.start(Map.of("openai", 0));
        return Map.of("tokenhub.providers.openai.base-url", server.baseUrl("openai") + "/v1",
                "tokenhub.providers.openai.api-key", "sim-openai-key",
                "test.simulator.openai.url", server.baseUrl("openai"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
