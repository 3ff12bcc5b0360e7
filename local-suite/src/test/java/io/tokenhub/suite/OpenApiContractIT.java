package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation of every service, called on the running suite with good and bad input, and every answer validated
 * against the service's published OpenAPI document (docs/openapi/, the oracle): status, content type, headers and
 * body. The last test fails if a documented operation was never called, so the documents cannot grow untested.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedSuite.class)
@Order(SharedSuite.ORDER)
class OpenApiContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT =
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static LocalSuite suite;
    static HttpClient http;
    static String member;
    static String admin;
    static final Map<String, OpenApiContract> contracts = new LinkedHashMap<>();

    @BeforeAll
    static void start(LocalSuite shared) throws Exception {
        suite = shared;
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        member = suite.dashboardToken(suite.demoAccount(), Set.of("tokenhub-member"), Duration.ofHours(1));
        admin = suite.dashboardToken(null, Set.of("tokenhub-member", "tokenhub-admin"), Duration.ofHours(1));
        for (String service : LocalSuite.SERVICES) {
            contracts.put(service, OpenApiContract.of(service));
        }
    }

    @Test
    @Order(1)
    void theOpenAiApiAnswersAsDocumented() throws Exception {
        String key = "Bearer " + suite.demoKey();
        gateway("GET", "/v1/models", key, null, null, 200);
        gateway("GET", "/v1/models/gpt-4o", key, null, null, 200);
        gateway("GET", "/v1/models/no-such-model", key, null, null, 404);
        gateway("POST", "/v1/chat/completions", key, "application/json", CHAT, 200);
        HttpResponse<String> streamed = gateway(
                "POST",
                "/v1/chat/completions",
                key,
                "application/json",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                200);
        assertTrue(streamed.body().endsWith("data: [DONE]\n\n"), streamed.body());
        gateway("POST", "/v1/chat/completions", key, "application/json", "{\"model\":\"gpt-4o-mini\"}", 400);
        gateway(
                "POST",
                "/v1/responses",
                key,
                "application/json",
                "{\"model\":\"gpt-4o-mini\",\"input\":\"Hello\"}",
                200);
        gateway("POST", "/v1/responses", key, "application/json", "{\"model\":\"gpt-4o-mini\"}", 400);
        gateway("GET", "/v1/responses/resp_123", key, null, null, 404);
        String message = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":50,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        gateway("POST", "/v1/messages", key, "application/json", message, 200);
        gateway("POST", "/v1/messages", key, "application/json", "{\"model\":\"claude-sonnet-4-5\"}", 400);
        gateway("POST", "/v1/messages", null, "application/json", message, 401);
        gateway(
                "POST",
                "/v1/messages/count_tokens",
                key,
                "application/json",
                "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
                200);
        gateway("POST", "/v1/chat/completions", key, "application/json", "{\"model\":", 400);
        gateway("POST", "/v1/chat/completions", null, "application/json", CHAT, 401);
        gateway(
                "POST",
                "/v1/chat/completions",
                key,
                "application/json",
                "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                404);
        gateway(
                "POST",
                "/v1/embeddings",
                key,
                "application/json",
                "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}",
                200);
        gateway("POST", "/v1/embeddings", key, "application/json", "{\"model\":\"text-embedding-3-small\"}", 400);
    }

    @Test
    @Order(2)
    void theKeysApiAnswersAsDocumented() throws Exception {
        String bearer = "Bearer " + member;
        gateway("GET", "/api/keys", bearer, null, null, 200);
        gateway("GET", "/api/keys", null, null, null, 401);
        gateway("GET", "/api/keys?account=other", bearer, null, null, 403);
        gateway("GET", "/api/keys?account=" + suite.demoAccount(), "Bearer " + admin, null, null, 200);
        HttpResponse<String> created = gateway(
                "POST",
                "/api/keys",
                bearer,
                "application/json",
                "{\"name\":\"contract\",\"expires_at\":\"2099-01-01T00:00:00Z\"}",
                201);
        gateway("POST", "/api/keys", bearer, "application/json", "{\"nmae\":\"typo\"}", 400);
        gateway("POST", "/api/keys", bearer, "text/plain", "name=x", 415);
        String id = JSON.readTree(created.body()).path("api_key").path("id").asText();
        gateway(
                "PUT",
                "/api/keys/" + id + "/budget",
                bearer,
                "application/json",
                "{\"monthly_budget_usd\":\"10\"}",
                200);
        gateway(
                "PUT",
                "/api/keys/" + id + "/budget",
                bearer,
                "application/json",
                "{\"monthly_budget_usd\":\"-1\"}",
                400);
        gateway(
                "PUT",
                "/api/keys/no-such-key/budget",
                bearer,
                "application/json",
                "{\"monthly_budget_usd\":null}",
                404);
        gateway("DELETE", "/api/keys/" + id, bearer, null, null, 204);
        gateway("DELETE", "/api/keys/no-such-key", bearer, null, null, 404);
    }

    @Test
    @Order(3)
    void theRoutingApiAnswersAsDocumented() throws Exception {
        String bearer = "Bearer " + member;
        call("routing-service", "GET", "/api/routing", bearer, null, null, 200);
        call("routing-service", "GET", "/api/routing", null, null, null, 401);
        call("routing-service", "GET", "/api/routing?account=other", bearer, null, null, 403);
        call("routing-service", "GET", "/api/routing/groups", bearer, null, null, 200);
        call("routing-service", "GET", "/api/routing/groups", null, null, null, 401);
        call("routing-service", "GET", "/api/routing/regions", bearer, null, null, 200);
        call("routing-service", "GET", "/api/routing/regions", null, null, null, 401);
        call("routing-service", "PUT", "/api/routing", bearer, "application/json", "{\"region\":\"mars\"}", 400);
        call(
                "routing-service",
                "PUT",
                "/api/routing",
                bearer,
                "application/json",
                "{\"strategy\":\"latency\",\"fallback\":true,\"preferred_backup_providers\":[\"anthropic\"]}",
                200);
        call("routing-service", "PUT", "/api/routing", bearer, "application/json", "{\"strategy\":\"fastest\"}", 400);
        call("routing-service", "PUT", "/api/routing", bearer, "text/plain", "strategy=latency", 415);
        call(
                "routing-service",
                "PATCH",
                "/api/routing",
                bearer,
                "application/merge-patch+json",
                "{\"strategy\":null}",
                200);
        // The suite is shared with other classes, which expect the demo account's routing as it started.
        String asStarted = "{\"strategy\":\"default\",\"fallback\":true}";
        call("routing-service", "PUT", "/api/routing", bearer, "application/json", asStarted, 200);
    }

    @Test
    @Order(4)
    void theBillingApiAnswersAsDocumented() throws Exception {
        String bearer = "Bearer " + member;
        String requestId = chatAndAwaitTheLedger();
        call("billing-service", "GET", "/api/billing/requests", bearer, null, null, 200);
        HttpResponse<String> page =
                call("billing-service", "GET", "/api/billing/requests?limit=1", bearer, null, null, 200);
        String cursor = JSON.readTree(page.body()).path("next_cursor").asText();
        call("billing-service", "GET", "/api/billing/requests?limit=1&cursor=" + cursor, bearer, null, null, 200);
        call("billing-service", "GET", "/api/billing/requests?limit=0", bearer, null, null, 400);
        call("billing-service", "GET", "/api/billing/requests", null, null, null, 401);
        call("billing-service", "GET", "/api/billing/requests?account=other", bearer, null, null, 403);
        call("billing-service", "GET", "/api/billing/requests/" + requestId, bearer, null, null, 200);
        call("billing-service", "GET", "/api/billing/requests/req_unknown", bearer, null, null, 404);
        call("billing-service", "GET", "/api/billing/requests.csv", bearer, null, null, 200);
        call("billing-service", "GET", "/api/billing/usage", bearer, null, null, 200);
        call(
                "billing-service",
                "GET",
                "/api/billing/usage?account=" + suite.demoAccount(),
                "Bearer " + admin,
                null,
                null,
                200);
        call("billing-service", "GET", "/api/billing/usage?from=yesterday", bearer, null, null, 400);
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        call("billing-service", "GET", "/api/billing/invoices/" + month, bearer, null, null, 200);
        call("billing-service", "GET", "/api/billing/invoices/2026-13", bearer, null, null, 400);
        call("billing-service", "GET", "/api/billing/invoices/0000-01", bearer, null, null, 400);
        call("billing-service", "GET", "/api/billing/prices", bearer, null, null, 200);
        call("billing-service", "GET", "/api/billing/budget", bearer, null, null, 200);
        call(
                "billing-service",
                "PUT",
                "/api/billing/budget",
                bearer,
                "application/json",
                "{\"monthly_limit_usd\":null}",
                200);
        call(
                "billing-service",
                "PUT",
                "/api/billing/budget",
                bearer,
                "application/json",
                "{\"monthly_limit_usd\":\"x\"}",
                400);
        call("billing-service", "GET", "/api/billing/retention", bearer, null, null, 200);
        call("billing-service", "PUT", "/api/billing/retention", bearer, "application/json", "{\"days\":30}", 403);
        String demo = "/api/billing/retention?account=" + suite.demoAccount();
        call("billing-service", "PUT", demo, "Bearer " + admin, "application/json", "{\"days\":null}", 200);
        call("billing-service", "GET", "/api/billing/prices?at=" + Instant.now(), bearer, null, null, 200);
        call("billing-service", "GET", "/api/billing/prices?at=soon", bearer, null, null, 400);
        call("billing-service", "POST", "/api/billing/dead-letters/replay", "Bearer " + admin, null, null, 200);
        call("billing-service", "POST", "/api/billing/dead-letters/replay", bearer, null, null, 403);
        call(
                "billing-service",
                "POST",
                "/api/billing/dead-letters/replay?reason=no_such_reason",
                "Bearer " + admin,
                null,
                null,
                400);
    }

    @Test
    @Order(5)
    void theProviderStatusApiAnswersAsDocumented() throws Exception {
        call("health-monitor", "GET", "/api/providers/status", "Bearer " + member, null, null, 200);
        call("health-monitor", "GET", "/api/providers/status", null, null, null, 401);
        call("health-monitor", "GET", "/api/providers/status", "Bearer not-a-token", null, null, 401);
    }

    @Test
    @Order(6)
    void everyDocumentedOperationWasCalled() {
        contracts.forEach((service, contract) ->
                assertEquals(Set.of(), contract.unexercised(), service + ": documented but never called"));
    }

    private static String chatAndAwaitTheLedger() throws Exception {
        HttpResponse<String> answer =
                gateway("POST", "/v1/chat/completions", "Bearer " + suite.demoKey(), "application/json", CHAT, 200);
        String requestId = answer.headers().firstValue("X-Inferoute-Request-Id").orElseThrow();
        SuiteTests.ledgerLine(suite, http, member, requestId);
        return requestId;
    }

    private static HttpResponse<String> gateway(
            String method, String path, String authorization, String contentType, String body, int status)
            throws Exception {
        return call("gateway-service", method, path, authorization, contentType, body, status);
    }

    /** Sends the request, requires {@code status}, and validates the answer against the service's document. */
    private static HttpResponse<String> call(
            String service,
            String method,
            String path,
            String authorization,
            String contentType,
            String body,
            int status)
            throws Exception {
        HttpResponse<String> response = send(service, method, path, authorization, contentType, body);
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
        return contracts.get(service).check(method, response);
    }

    private static HttpResponse<String> send(
            String service, String method, String path, String authorization, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.serviceUrl(service) + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
