package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.SimulatorServer;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Meta's circuit breaker, set to a window of four calls and a two-second delay: half of the window failing opens it,
 * an open breaker answers 503 without calling the provider, and after the delay one trial call that succeeds closes it.
 * Only Meta's breaker is set this way, so Meta's outage leaves OpenAI's calls alone.
 */
@QuarkusTest
@TestProfile(ProviderBreakerIT.SmallWindow.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class ProviderBreakerIT {

    /** Pinned to one provider, so no fallback hides a refused call. */
    private static final String MODEL = "meta/llama-3.3-70b";

    private static final String PATH = "/v1/chat/completions";
    private static final long DELAY_MS = 2_000;

    /** A window of four and a short delay for Meta; the test profile's others never open. */
    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tokenhub.providers.meta.circuit-breaker-volume", "4",
                    "tokenhub.providers.meta.circuit-breaker-failure-ratio", "0.5",
                    "tokenhub.providers.meta.circuit-breaker-delay", DELAY_MS + "ms");
        }
    }

    @AfterEach
    void reset() {
        simulator().reset("meta");
    }

    @Test
    void failuresOpenTheBreakerWhichRefusesWithoutCallingThenATrialClosesIt() throws Exception {
        simulator().behave("meta", Behaviour.builder().errorStatus(500).build());
        long before = simulator().requestCount("meta");
        for (int i = 0; i < 4; i++) {
            Response failed = send(MODEL);
            assertTrue(failed.statusCode() >= 500, failed.asString());
        }
        assertEquals(before + 4, simulator().requestCount("meta"), "four calls reached Meta");

        Response refused = send(MODEL);
        assertEquals(503, refused.statusCode(), refused.asString());
        assertTrue(refused.jsonPath().getString("error.message").contains("paused calls"), refused.asString());
        assertEquals(before + 4, simulator().requestCount("meta"), "the open breaker called no one");
        assertEquals(200, send("openai/gpt-4o-mini").statusCode(), "OpenAI's breaker is its own");

        simulator().reset("meta");
        long afterReset = simulator().requestCount("meta");
        Thread.sleep(DELAY_MS + 200);
        assertEquals(200, send(MODEL).statusCode(), "the trial call after the delay");
        assertEquals(200, send(MODEL).statusCode(), "closed again");
        assertEquals(afterReset + 2, simulator().requestCount("meta"), "both reached Meta");
    }

    private static Response send(String model) {
        return internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(PATH);
    }

    private static SimulatorServer simulator() {
        return SimulatorTestResource.server();
    }
}
