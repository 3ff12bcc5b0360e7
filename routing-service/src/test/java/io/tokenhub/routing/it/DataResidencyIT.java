package io.tokenhub.routing.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.SimulatorServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Data residency: OpenAI gets a second endpoint in the EU (a simulator of its own, so the test can tell which endpoint
 * was called), Mistral's default endpoint is in the EU as La Plateforme's is, and the others are global or in the US.
 * An account restricted to the EU is answered by EU endpoints only, whatever fails and whatever its request asks for;
 * every other account keeps the default endpoints.
 */
@QuarkusTest
@TestProfile(DataResidencyIT.EuEndpoints.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
class DataResidencyIT {

    /** Routing-service with OpenAI's EU endpoint configured beside its default one. */
    public static class EuEndpoints implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EuSimulator.class));
        }
    }

    /** A second set of simulators standing in for the providers' EU endpoints; only OpenAI's is configured. */
    public static class EuSimulator implements QuarkusTestResourceLifecycleManager {

        private static volatile SimulatorServer server;

        @Override
        public Map<String, String> start() {
            server = SimulatorServer.startOnFreePorts();
            return Map.of(
                    "tokenhub.providers.openai.endpoints.eu.base-url", server.sdkBaseUrl("openai"),
                    "tokenhub.providers.openai.endpoints.eu.region", "eu",
                    "tokenhub.providers.openai.endpoints.eu.api-key", "sim-openai-eu-key");
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }

    private static final String MESSAGE = ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static final List<String> US_OR_GLOBAL = List.of("anthropic", "google", "meta");

    private String euAccount;

    @BeforeEach
    void freshAccountAndCounts() {
        euAccount = "eu-" + UUID.randomUUID();
        settings(euAccount, "{\"region\":\"eu\"}").then().statusCode(200).body("region", equalTo("eu"));
        resetSimulators();
    }

    @AfterEach
    void resetSimulators() {
        for (String provider : SimulatorServer.DEFAULT_PORTS.keySet()) {
            global().reset(provider);
        }
        EuSimulator.server.reset("openai");
    }

    @Test
    void anEuAccountIsAnsweredByTheEuEndpointWithItsOwnKey() {
        chat(euAccount, "{\"model\":\"gpt-4o\"" + MESSAGE)
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, equalTo("openai"));
        chat(euAccount, "{\"model\":\"gpt-4o\",\"stream\":true" + MESSAGE)
                .then()
                .statusCode(200)
                .body(containsString("[DONE]"));
        assertEquals(2, EuSimulator.server.requestCount("openai"));
        assertEquals(
                "Bearer sim-openai-eu-key",
                EuSimulator.server.lastRequest("openai").orElseThrow().header("authorization"));
        assertEquals(0, global().requestCount("openai"), "the EU account never reaches the global endpoint");
    }

    @Test
    void anAccountWithoutARestrictionKeepsTheDefaultEndpoint() {
        chat("anywhere-" + UUID.randomUUID(), "{\"model\":\"gpt-4o\"" + MESSAGE)
                .then()
                .statusCode(200);
        assertEquals(1, global().requestCount("openai"));
        assertEquals(0, EuSimulator.server.requestCount("openai"));
    }

    @Test
    void aPlainNameWhoseProviderHasNoEuEndpointIsAnsweredInTheEuAndAPinnedOneIsRefused() {
        // Claude Sonnet 4.5's flagship group holds OpenAI's and Mistral's models, which have EU endpoints.
        chat(euAccount, "{\"model\":\"claude-sonnet-4-5\"" + MESSAGE)
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, equalTo("openai"));
        chat(euAccount, "{\"model\":\"anthropic/claude-sonnet-4-5\"" + MESSAGE)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("model_not_in_region"))
                .body("error.param", equalTo("model"))
                .body("error.message", containsString("'eu'"));
        assertEquals(1, EuSimulator.server.requestCount("openai"));
        assertNothingOutsideTheEu();
    }

    @Test
    void fallbackStaysInTheRegion() {
        EuSimulator.server.behave("openai", Behaviour.builder().errorStatus(503).build());
        chat(euAccount, "{\"model\":\"gpt-4o\"" + MESSAGE)
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, equalTo("mistral"))
                .header(TokenHubHeaders.FALLBACK, equalTo("true"));
        assertEquals(1, EuSimulator.server.requestCount("openai"));
        assertEquals(1, global().requestCount("mistral"));
        assertNothingOutsideTheEu();
        // With Mistral failing too nothing in the EU is left: a 503, never a call to another region.
        global().behave("mistral", Behaviour.builder().errorStatus(503).build());
        chat(euAccount, "{\"model\":\"gpt-4o\"" + MESSAGE).then().statusCode(503);
        assertNothingOutsideTheEu();
    }

    @Test
    void perRequestRoutingCannotLeaveTheRegion() {
        chat(euAccount, "{\"model\":\"gpt-4o\",\"provider\":{\"only\":[\"anthropic\",\"google\"]}" + MESSAGE)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("model_not_in_region"));
        chat(
                        euAccount,
                        "{\"model\":\"anthropic/claude-sonnet-4-5\","
                                + "\"models\":[\"meta/llama-4-maverick\",\"mistral/mistral-large-3\"]" + MESSAGE)
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, equalTo("mistral"));
        assertNothingOutsideTheEu();
        assertEquals(0, global().requestCount("openai"));
    }

    @Test
    void embeddingsKeepToTheRegion() {
        embed(euAccount, "text-embedding-3-small").then().statusCode(200);
        assertEquals(1, EuSimulator.server.requestCount("openai"));
        embed(euAccount, "gemini-embedding-001")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("model_not_in_region"));
        assertNothingOutsideTheEu();
        assertEquals(0, global().requestCount("openai"));
    }

    @Test
    void theModelListShowsWhatTheRegionServes() {
        RoutingIt.internal("eu-" + UUID.randomUUID(), euAccount, "key-eu")
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("gpt-4o"))
                .body("data.id", hasItem("mistral-large-3"))
                .body("data.id", not(hasItem("claude-sonnet-4-5")))
                .body("data.id", not(hasItem("gemini-2.5-pro")));
        RoutingIt.internal("eu-" + UUID.randomUUID(), "anywhere-" + UUID.randomUUID(), "key-any")
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("claude-sonnet-4-5"));
    }

    @Test
    void regionsAreListedAndOnlyTheirsCanBeChosen() {
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor(euAccount))
                .get("/api/routing/regions")
                .then()
                .statusCode(200)
                .body("regions.region", contains("eu", "global", "us"))
                .body("regions.find { it.region == 'eu' }.providers", contains("openai", "mistral"))
                .body("regions.find { it.region == 'global' }.providers", contains("openai", "anthropic", "google"))
                .body("regions.find { it.region == 'us' }.providers", contains("meta"));
        settings(euAccount, "{\"region\":\"mars\"}")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("region"))
                .body("error.message", containsString("eu, global, us"));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor(euAccount))
                .get("/api/routing")
                .then()
                .statusCode(200)
                .body("region", equalTo("eu"));
        // A merge patch with null lifts the restriction.
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor(euAccount))
                .contentType("application/merge-patch+json")
                .body("{\"region\":null}")
                .patch("/api/routing")
                .then()
                .statusCode(200)
                .body("region", nullValue());
    }

    private static SimulatorServer global() {
        return SimulatorTestResource.server();
    }

    private static void assertNothingOutsideTheEu() {
        for (String provider : US_OR_GLOBAL) {
            assertEquals(0, global().requestCount(provider), provider + " is outside the EU and must not be called");
        }
        assertEquals(0, global().requestCount("openai"), "OpenAI's global endpoint is outside the EU");
    }

    private static Response chat(String account, String body) {
        return RoutingIt.internal("eu-" + UUID.randomUUID(), account, "key-eu")
                .body(body)
                .post("/v1/chat/completions");
    }

    private static Response embed(String account, String model) {
        return RoutingIt.internal("eu-" + UUID.randomUUID(), account, "key-eu")
                .body("{\"model\":\"" + model + "\",\"input\":\"Hi\"}")
                .post("/v1/embeddings");
    }

    private static Response settings(String account, String json) {
        return given().auth()
                .oauth2(DevOidcTestResource.tokenFor(account))
                .contentType("application/json")
                .body(json)
                .put("/api/routing");
    }
}
