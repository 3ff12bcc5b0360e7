package io.tokenhub.billing.it;

import static io.restassured.RestAssured.given;
import static io.tokenhub.billing.it.ApiCalls.token;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tokenhub.common.events.AccountSpend;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The account budget API and what billing tells the gateway: after usage is billed, the compacted topic
 * {@code tokenhub.spend} carries the account's month-to-date spend (the sum of the prices the fixtures compute from the
 * published rates, not billing's) with its budget, per key too.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
class BudgetIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aBudgetIsStoredAndTheMonthsSpendReachesTheGatewayTopicWithIt() {
        String account = Fixtures.newAccount("budget");
        String member = token(account);
        put(member, "{\"monthly_limit_usd\":\"0.05\"}")
                .then()
                .statusCode(200)
                .body("monthly_limit_usd", equalTo("0.05000000"))
                .body("spent_usd", equalTo("0.00000000"))
                .body("remaining_usd", equalTo("0.05000000"));

        Instant monthStart =
                YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<UsageEvent> traffic = Fixtures.mixedTraffic(account, 8, monthStart.plus(Duration.ofHours(1)));
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            traffic.forEach(e -> Fixtures.send(producer, Topics.USAGE, account, Fixtures.json(e)));
        }
        BigDecimal expected = traffic.stream().map(Fixtures::expectedTotal).reduce(BigDecimal.ZERO, BigDecimal::add);

        AccountSpend spend = awaitSpend(account, expected);
        assertEquals(0, new BigDecimal("0.05").compareTo(spend.budgetUsd()));
        assertEquals(YearMonth.now(ZoneOffset.UTC), spend.month());
        assertEquals(
                0,
                expected.compareTo(spend.keys().stream()
                        .map(AccountSpend.KeySpend::spentUsd)
                        .reduce(BigDecimal.ZERO, BigDecimal::add)),
                "the keys' shares add up to the account's spend");

        JsonPath budget = given().auth()
                .oauth2(member)
                .get("/api/billing/budget")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(0, expected.compareTo(new BigDecimal(budget.getString("spent_usd"))));
        assertEquals(
                0,
                new BigDecimal("0.05")
                        .subtract(expected)
                        .max(BigDecimal.ZERO)
                        .compareTo(new BigDecimal(budget.getString("remaining_usd"))));

        // Removing the budget reaches the gateway too.
        put(member, "{\"monthly_limit_usd\":null}").then().statusCode(200).body("monthly_limit_usd", nullValue());
        assertNull(awaitRecord(account, r -> r.budgetUsd() == null).budgetUsd());
    }

    @Test
    void badAmountsAndOtherAccountsAreRefused() {
        String account = Fixtures.newAccount("budget");
        for (String bad : List.of("\"-1\"", "\"0.000000001\"", "\"lots\"")) {
            put(token(account), "{\"monthly_limit_usd\":" + bad + "}")
                    .then()
                    .statusCode(400)
                    .body("error.param", equalTo("monthly_limit_usd"));
        }
        given().auth()
                .oauth2(token(account))
                .contentType("application/json")
                .body("{\"monthly_limit_usd\":\"1\"}")
                .put("/api/billing/budget?account=" + Fixtures.newAccount("other"))
                .then()
                .statusCode(403);
        given().get("/api/billing/budget").then().statusCode(401);
    }

    private static Response put(String token, String json) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(json)
                .put("/api/billing/budget");
    }

    private AccountSpend awaitSpend(String account, BigDecimal expected) {
        return awaitRecord(account, r -> r.spentUsd().compareTo(expected) == 0);
    }

    /** Reads the spend topic until a record of {@code account} matches, or 60 s passed. */
    private AccountSpend awaitRecord(String account, Predicate<AccountSpend> wanted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-spend-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        AccountSpend last = null;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(Topics.SPEND));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (account.equals(r.key())) {
                        last = EventJson.MAPPER.readValue(r.value(), AccountSpend.class);
                        if (wanted.test(last)) {
                            return last;
                        }
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        assertNotNull(last, "no spend record for " + account);
        throw new AssertionError("the latest spend record of " + account + " is not the expected one: " + last);
    }
}
