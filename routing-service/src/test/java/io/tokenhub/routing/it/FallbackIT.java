package io.tokenhub.routing.it;

import static io.restassured.RestAssured.given;
import static io.tokenhub.routing.it.RoutingIt.simulator;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Equivalent-model fallback against the simulators on real Kafka: every provider failure kind moves a plain model name
 * to the next provider of its group before anything reached the client; pinned names, client errors and accounts that
 * turned fallback off never move; the account's preferred backups come first.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
class FallbackIT {

    private static final String ACCOUNT = "fallback-acct";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterEach
    void normal() throws Exception {
        for (String p : List.of("openai", "anthropic", "google", "mistral", "meta")) {
            simulator(p, "DELETE", null);
        }
        settings("{\"strategy\":\"default\",\"fallback\":true,\"preferred_backup_providers\":[]}")
                .then()
                .statusCode(200);
    }

    @Test
    void everyProviderFailureKindFallsBackToTheNextGroupMember() throws Exception {
        for (String failure : List.of(
                "{\"error_status\":503}",
                "{\"error_status\":500}",
                "{\"error_status\":429}",
                "{\"latency_ms\":4000}",
                "{\"drop_connection\":true}")) {
            simulator("openai", "PUT", failure);
            String requestId = "fb-" + UUID.randomUUID();
            internal(requestId)
                    .body(chat("gpt-4o", false))
                    .post("/v1/chat/completions")
                    .then()
                    .statusCode(200)
                    .header(TokenHubHeaders.PROVIDER, "anthropic")
                    .header(TokenHubHeaders.FALLBACK, "true")
                    .body("object", equalTo("chat.completion"));
            UsageEvent event = RoutingIt.usageEvent(requestId);
            assertEquals("gpt-4o", event.requestedModel(), failure);
            assertEquals("claude-sonnet-4-5", event.model(), "billed for the model that answered");
            assertEquals("anthropic", event.provider());
            assertEquals(1, event.fallbackAttempts());
            assertEquals(RequestStatus.SUCCEEDED, event.status());
        }
    }

    @Test
    void streamsFallBackBeforeTheFirstByte() throws Exception {
        simulator("openai", "PUT", "{\"error_status\":503}");
        Response response = internal("fb-" + UUID.randomUUID())
                .body(chat("gpt-4o-mini", true))
                .post("/v1/chat/completions");
        response.then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "anthropic")
                .header(TokenHubHeaders.FALLBACK, "true");
        List<String> frames = RoutingIt.frames(response.asString());
        assertEquals("data: [DONE]", frames.get(frames.size() - 1));
    }

    @Test
    void pinnedNamesNeverLeaveTheirProvider() throws Exception {
        simulator("openai", "PUT", "{\"error_status\":503}");
        long anthropicBefore = requests("anthropic");
        internal("fb-" + UUID.randomUUID())
                .body(chat("openai/gpt-4o", false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(503)
                .header(TokenHubHeaders.PROVIDER, "openai")
                .header(TokenHubHeaders.FALLBACK, "false")
                .body("error.type", equalTo("server_error"));
        assertEquals(anthropicBefore, requests("anthropic"), "no call went to another provider");
    }

    @Test
    void aRequestTheProviderRefusesIsNotRetriedElsewhere() throws Exception {
        simulator("openai", "PUT", "{\"error_status\":400}");
        long anthropicBefore = requests("anthropic");
        internal("fb-" + UUID.randomUUID())
                .body(chat("gpt-4o", false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        assertEquals(anthropicBefore, requests("anthropic"));
    }

    /** While OpenAI fails, a request only OpenAI can take (logprobs) gets OpenAI's failure, not a backup's 400. */
    @Test
    void aBackupThatCannotTakeTheRequestIsPassedOver() throws Exception {
        simulator("openai", "PUT", "{\"error_status\":503}");
        List<String> backups = List.of("anthropic", "google", "mistral", "meta");
        List<Long> before = new ArrayList<>();
        for (String backup : backups) {
            before.add(requests(backup));
        }
        String logprobs = chat("gpt-4o", false).replace("{\"model\"", "{\"logprobs\":true,\"model\"");
        internal("fb-" + UUID.randomUUID())
                .body(logprobs)
                .post("/v1/chat/completions")
                .then()
                .statusCode(503)
                .body("error.type", equalTo("server_error"))
                .body("error.param", equalTo("logprobs"))
                .body("error.message", containsString("No backup can take this request instead"));
        for (int i = 0; i < backups.size(); i++) {
            assertEquals(before.get(i), requests(backups.get(i)), backups.get(i) + " cannot take logprobs");
        }
    }

    @Test
    void preferredBackupsComeFirstAndFallbackCanBeTurnedOff() throws Exception {
        simulator("openai", "PUT", "{\"error_status\":503}");
        settings("{\"preferred_backup_providers\":[\"google\"]}")
                .then()
                .statusCode(200)
                .body("preferred_backup_providers[0]", equalTo("google"))
                .body("account_id", equalTo(ACCOUNT));
        internal("fb-" + UUID.randomUUID())
                .body(chat("gpt-4o", false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "google");

        settings("{\"fallback\":false}").then().statusCode(200).body("fallback", equalTo(false));
        internal("fb-" + UUID.randomUUID())
                .body(chat("gpt-4o", false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(503)
                .header(TokenHubHeaders.PROVIDER, "openai");
    }

    @Test
    void whenEveryMemberFailsTheClientGetsTheLastError() throws Exception {
        for (String p : List.of("openai", "anthropic", "google", "mistral", "meta")) {
            simulator(p, "PUT", "{\"error_status\":503}");
        }
        String requestId = "fb-" + UUID.randomUUID();
        internal(requestId)
                .body(chat("gpt-4o", false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(503)
                .header(TokenHubHeaders.FALLBACK, "true");
        UsageEvent event = RoutingIt.usageEvent(requestId);
        assertEquals(RequestStatus.PROVIDER_ERROR, event.status());
        assertEquals(5, event.fallbackAttempts());
        assertEquals(0, event.inputTokens() + event.outputTokens());
    }

    @Test
    void aBackupThatDropsAParameterSaysWhichAndTheFirstChoiceThatKeepsItSaysNothing() throws Exception {
        String withSeed = "{\"model\":\"gpt-4o\",\"seed\":7,\"frequency_penalty\":0.5,\"user\":\"u-1\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"fallback please\"}]}";
        internal("fb-" + UUID.randomUUID())
                .body(withSeed)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "openai")
                .header(TokenHubHeaders.IGNORED_PARAMS, nullValue());
        simulator("openai", "PUT", "{\"error_status\":503}");
        // Anthropic has no seed and no penalties; it takes the end user as metadata.user_id.
        internal("fb-" + UUID.randomUUID())
                .body(withSeed)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "anthropic")
                .header(TokenHubHeaders.IGNORED_PARAMS, "frequency_penalty,seed");
        simulator("openai", "DELETE", null);
        // store: true never reaches OpenAI, and the client is told.
        internal("fb-" + UUID.randomUUID())
                .body(chat("openai/gpt-4o", false).replace("{\"model\"", "{\"store\":true,\"model\""))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.IGNORED_PARAMS, "store");
    }

    @Test
    void aBackupWhoseWindowIsTooSmallIsPassedOverAndTheFirstChoiceSaysWhy() throws Exception {
        // About 130,000 tokens at TokenHub's estimate: more than a 128k window, well inside 1M.
        String prompt = "word ".repeat(104_000);
        String body = "{\"model\":\"openai/gpt-4.1\",\"models\":[\"meta/llama-4-maverick\","
                + "\"anthropic/claude-sonnet-4-5\"],\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
        simulator("openai", "PUT", "{\"error_status\":503}");
        long metaBefore = requests("meta");
        internal("fb-" + UUID.randomUUID())
                .body(body)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "anthropic")
                .header(TokenHubHeaders.FALLBACK, "true");
        assertEquals(metaBefore, requests("meta"), "the 128k Llama was not called for a 130k prompt");
        simulator("openai", "DELETE", null);
        internal("fb-" + UUID.randomUUID())
                .body(body.replace("openai/gpt-4.1", "openai/gpt-4o"))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"))
                .body("error.message", containsString("128000"));
        internal("fb-" + UUID.randomUUID())
                .body(chat("gpt-4o", false).replace("{\"model\"", "{\"reasoning_effort\":\"low\",\"model\""))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("reasoning_effort"));
    }

    @Test
    void settingsNeedATokenAndStayWithinTheAccount() {
        given().get("/api/routing").then().statusCode(401);
        // Signed by the same issuer with the same claims, but for another client of the realm.
        given().auth()
                .oauth2(DevOidcTestResource.tokenForAudience("another-app", ACCOUNT))
                .get("/api/routing")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("invalid_token"));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor(ACCOUNT))
                .get("/api/routing")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("default"))
                .body("fallback", equalTo(true));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("someone-else"))
                .get("/api/routing?account=" + ACCOUNT)
                .then()
                .statusCode(403)
                .body("error.type", equalTo("permission_error"));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("ops", "tokenhub-admin"))
                .get("/api/routing?account=" + ACCOUNT)
                .then()
                .statusCode(200)
                .body("account_id", equalTo(ACCOUNT));
        settings("{\"strategy\":\"fastest\"}")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("strategy"))
                .body("error.code", equalTo("invalid_body"));
        settings("{\"preferred_backup_providers\":[\"acme\"]}").then().statusCode(400);
        settings("{\"preferred_backup_providers\":[\"google\",\"google\"]}")
                .then()
                .statusCode(400);
        settings("{\"strtegy\":\"latency\"}")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("strtegy"))
                .body("error.code", equalTo("unknown_field"));
        settings("{\"strategy\":\"latency\"}").then().statusCode(200).body("strategy", equalTo("latency"));
    }

    @Test
    void putReplacesTheSettingsAndAMergePatchChangesPartOfThem() {
        String account = "settings-" + UUID.randomUUID();
        settings(
                        account,
                        "PUT",
                        "{\"strategy\":\"latency\",\"fallback\":false,\"preferred_backup_providers\":[\"google\"]}")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("latency"))
                .body("fallback", equalTo(false))
                .body("preferred_backup_providers", equalTo(List.of("google")));
        settings(account, "PATCH", "{\"fallback\":true}")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("latency"))
                .body("fallback", equalTo(true))
                .body("preferred_backup_providers", equalTo(List.of("google")));
        settings(account, "PATCH", "{\"preferred_backup_providers\":null}")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("latency"))
                .body("preferred_backup_providers", equalTo(List.of()));
        settings(account, "PATCH", "{\"strtegy\":\"default\"}")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("unknown_field"));
        settings(account, "PUT", "{\"preferred_backup_providers\":[\"mistral\"]}")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("default"))
                .body("fallback", equalTo(true))
                .body("preferred_backup_providers", equalTo(List.of("mistral")));
    }

    private static Response settings(String json) {
        return settings(ACCOUNT, "PUT", json);
    }

    private static Response settings(String account, String method, String json) {
        return given().auth()
                .oauth2(DevOidcTestResource.tokenFor(account))
                .contentType(method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
                .body(json)
                .request(method, "/api/routing");
    }

    private static RequestSpecification internal(String requestId) {
        return RoutingIt.internal(requestId, ACCOUNT, "key-fb");
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"fallback please\"}]}";
    }

    private static long requests(String provider) throws Exception {
        HttpResponse<String> stats = HTTP.send(
                HttpRequest.newBuilder(URI.create(url(provider) + "/__sim/stats"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonPath.from(stats.body()).getLong("requests");
    }

    private static String url(String provider) {
        return ConfigProvider.getConfig().getValue("test.simulator." + provider + ".url", String.class);
    }
}
