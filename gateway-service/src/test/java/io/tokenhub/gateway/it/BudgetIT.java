package io.tokenhub.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Budgets at the edge, from what billing publishes: spend records are written to {@code tokenhub.spend} here as
 * billing-service writes them (its own test proves it does), and the gateway answers 80 % with a warning header and
 * 100 % with OpenAI's 429 {@code insufficient_quota}, for the account's budget and for a key's.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
class BudgetIT {

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void anAccountBudgetWarnsAtEightyPercentAndRefusesWhenReached() {
        String account = "budget-" + UUID.randomUUID();
        String key = newKey(account, null).path("key");
        chat(key).then().statusCode(200).header(TokenHubHeaders.BUDGET_WARNING, nullValue());

        publish(account, "8.50000000", "10.00000000", "");
        awaitHeader(key, "account; spent=8.50000000; budget=10.00000000");

        publish(account, "10.00000000", "10.00000000", "");
        awaitStatus(key, 429)
                .then()
                .body("error.type", equalTo("insufficient_quota"))
                .body("error.code", equalTo("insufficient_quota"))
                .body("error.message", containsString("$10.00000000"));
        // Anthropic's SDK gets the refusal in Anthropic's shape.
        given().header("x-api-key", key)
                .contentType("application/json")
                .body(
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/messages")
                .then()
                .statusCode(429)
                .body("type", equalTo("error"));

        // Last month's spend does not count this month; the budget itself still holds.
        publish(
                account,
                "50.00000000",
                "10.00000000",
                "",
                YearMonth.now(ZoneOffset.UTC).minusMonths(1));
        awaitStatus(key, 200);
    }

    @Test
    void aKeyBudgetHoldsThatKeyOnlyAndIsSetThroughTheKeysApi() {
        String account = "budget-" + UUID.randomUUID();
        Response capped = newKey(account, "\"2.00\"");
        capped.then().statusCode(201).body("api_key.monthly_budget_usd", equalTo("2.00000000"));
        String cappedKey = capped.path("key");
        String cappedId = capped.path("api_key.id");
        String otherKey = newKey(account, null).path("key");

        publish(account, "2.50000000", null, cappedId + "=2.00000000");
        awaitStatus(cappedKey, 429).then().body("error.message", containsString("key's monthly budget"));
        chat(otherKey).then().statusCode(200);

        given().auth()
                .oauth2(DevOidcTestResource.tokenFor(account))
                .contentType("application/json")
                .body("{\"monthly_budget_usd\":\"2.40\"}")
                .put("/api/keys/" + cappedId + "/budget")
                .then()
                .statusCode(200)
                .body("monthly_budget_usd", equalTo("2.40000000"));
        awaitHeader(cappedKey, "key; spent=2.00000000; budget=2.40000000");
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor(account))
                .contentType("application/json")
                .body("{\"monthly_budget_usd\":\"-1\"}")
                .put("/api/keys/" + cappedId + "/budget")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("monthly_budget_usd"));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("someone-else"))
                .contentType("application/json")
                .body("{\"monthly_budget_usd\":null}")
                .put("/api/keys/" + cappedId + "/budget")
                .then()
                .statusCode(404);
    }

    private static Response newKey(String account, String budget) {
        return given().auth()
                .oauth2(DevOidcTestResource.tokenFor(account))
                .contentType("application/json")
                .body(budget == null ? "{\"name\":\"b\"}" : "{\"name\":\"b\",\"monthly_budget_usd\":" + budget + "}")
                .post("/api/keys");
    }

    private static Response chat(String key) {
        return given().auth()
                .oauth2(key)
                .contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions");
    }

    private void publish(String account, String spent, String budget, String keySpend) {
        publish(account, spent, budget, keySpend, YearMonth.now(ZoneOffset.UTC));
    }

    /** A spend record as billing-service writes it; {@code keySpend} is {@code id=usd} or empty. */
    private void publish(String account, String spent, String budget, String keySpend, YearMonth month) {
        String keys = keySpend.isEmpty()
                ? "[]"
                : "[{\"key_id\":\"" + keySpend.split("=")[0] + "\",\"spent_usd\":\"" + keySpend.split("=")[1] + "\"}]";
        String json = "{\"account_id\":\"" + account + "\",\"month\":\"" + month + "\",\"spent_usd\":\"" + spent
                + "\",\"budget_usd\":" + (budget == null ? "null" : "\"" + budget + "\"") + ",\"keys\":" + keys
                + ",\"updated_at\":\"" + Instant.now() + "\"}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.SPEND, account, json));
        }
    }

    /** The gateway follows the topic within a second or two; waits up to 30 s for it. */
    private static Response awaitStatus(String key, int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response last = chat(key);
        while (last.statusCode() != status && System.nanoTime() < deadline) {
            sleep();
            last = chat(key);
        }
        assertEquals(status, last.statusCode(), last.asString());
        return last;
    }

    private static void awaitHeader(String key, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = chat(key).header(TokenHubHeaders.BUDGET_WARNING);
        while (!expected.equals(seen) && System.nanoTime() < deadline) {
            sleep();
            seen = chat(key).header(TokenHubHeaders.BUDGET_WARNING);
        }
        assertEquals(expected, seen);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
