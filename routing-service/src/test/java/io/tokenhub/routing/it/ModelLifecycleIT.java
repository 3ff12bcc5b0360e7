package io.tokenhub.routing.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenhub.common.catalog.Capability;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.SimulatorServer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Models their providers retired, with the built-in catalog: Anthropic retired Claude Sonnet 3.5 on 2025-10-22 and
 * named Claude Sonnet 4.5 its replacement; Google shut Gemini 1.5 down on 2025-09-24. These facts are written here,
 * not read from the catalog, so a catalog that forgot a retirement fails.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
class ModelLifecycleIT {

    private static final String MESSAGE = ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void aRetiredModelIsA404NamingItsSuccessorAndNoProviderIsCalled() {
        String account = "retired-" + UUID.randomUUID();
        simulators().reset("anthropic");
        RoutingIt.internal("rt-" + UUID.randomUUID(), account, "key-rt")
                .body("{\"model\":\"claude-3-5-sonnet\"" + MESSAGE)
                .post("/v1/chat/completions")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("model_retired"))
                .body("error.param", equalTo("model"))
                .body("error.message", containsString("2025-10-22"))
                .body("error.message", containsString("'claude-sonnet-4-5'"));
        RoutingIt.internal("rt-" + UUID.randomUUID(), account, "key-rt")
                .body("{\"model\":\"anthropic/claude-3-5-sonnet\"" + MESSAGE)
                .post("/v1/chat/completions")
                .then()
                .statusCode(404)
                .body("error.message", containsString("'anthropic/claude-sonnet-4-5'"));
        assertEquals(0, simulators().requestCount("anthropic"), "no provider was called for a retired model");
        // A retired model named as a backup in the request's own list is refused the same way.
        RoutingIt.internal("rt-" + UUID.randomUUID(), account, "key-rt")
                .body("{\"model\":\"gpt-4o-mini\",\"models\":[\"gemini-1.5-flash\"]" + MESSAGE)
                .post("/v1/chat/completions")
                .then()
                .statusCode(404)
                .body("error.message", containsString("'gemini-2.5-flash'"));
    }

    @Test
    void everyChatModelServedTodayAnswersByItsPlainAndPinnedName() {
        List<CatalogModel> served = CatalogLoader.load(Optional.empty()).models().stream()
                .filter(m -> m.can(Capability.CHAT) && !m.retiredAt(Instant.now()))
                .toList();
        assertTrue(served.size() >= 30, "today's catalog sells " + served.size() + " chat models");
        for (CatalogModel model : served) {
            String provider = model.provider().wireName();
            for (String name : List.of(model.id(), provider + "/" + model.id())) {
                RoutingIt.internal("rt-" + UUID.randomUUID())
                        .body("{\"model\":\"" + name + "\",\"max_tokens\":20" + MESSAGE)
                        .post("/v1/chat/completions")
                        .then()
                        .statusCode(200)
                        .header(TokenHubHeaders.PROVIDER, provider)
                        .header(TokenHubHeaders.FALLBACK, "false")
                        .body("object", equalTo("chat.completion"));
            }
        }
    }

    @Test
    void retiredModelsAreNotListedAndLookingOneUpNamesItsSuccessor() {
        RoutingIt.internal("rt-" + UUID.randomUUID())
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("claude-sonnet-4-5"))
                .body("data.id", hasItem("gemini-2.5-pro"))
                .body("data.id", not(hasItem("claude-3-5-sonnet")))
                .body("data.id", not(hasItem("gemini-1.5-pro")));
        RoutingIt.internal("rt-" + UUID.randomUUID())
                .get("/v1/models/gemini-1.5-pro")
                .then()
                .statusCode(404)
                .body("error.message", containsString("'gemini-2.5-pro'"));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("lifecycle-groups"))
                .get("/api/routing/groups")
                .then()
                .statusCode(200)
                .body("groups.find { it.id == 'flagship' }.members.model", hasItem("claude-sonnet-4-5"))
                .body("groups.find { it.id == 'flagship' }.members.model", not(hasItem("claude-3-5-sonnet")));
    }

    @Test
    void anAccountThatFollowsSuccessorsIsAnsweredAndBilledByTheSuccessor() {
        String account = "follow-" + UUID.randomUUID();
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor(account))
                .contentType("application/merge-patch+json")
                .body("{\"follow_successors\":true}")
                .patch("/api/routing")
                .then()
                .statusCode(200)
                .body("follow_successors", equalTo(true))
                .body("fallback", equalTo(true));
        String requestId = "rt-" + UUID.randomUUID();
        RoutingIt.internal(requestId, account, "key-rt")
                .body("{\"model\":\"claude-3-5-sonnet\"" + MESSAGE)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "anthropic")
                .header(TokenHubHeaders.DEPRECATION, nullValue());
        assertEquals(
                "claude-sonnet-4-5-20250929",
                simulators()
                        .lastRequest("anthropic")
                        .orElseThrow()
                        .bodyJson()
                        .path("model")
                        .asText());
        UsageEvent event = RoutingIt.usageEvent(requestId);
        assertEquals("claude-3-5-sonnet", event.requestedModel());
        assertEquals("claude-sonnet-4-5", event.model(), "billed as the model that answered");
    }

    private static SimulatorServer simulators() {
        return SimulatorTestResource.server();
    }
}
