package io.tokenhub.billing.it;

import static io.restassured.RestAssured.given;
import static io.tokenhub.billing.it.ApiCalls.token;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The account budget API and what billing tells the gateway: after usage is billed, the compacted topic
 * {@code tokenhub.spend} carries the account's month-to-date spend (the sum of the prices the fixtures compute from the
 * published rates, not billing's) with its budget, per key too. That spend is read from running totals the ledger's
 * triggers keep (migration V10), which must equal the ledger summed whatever writes it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
class BudgetIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    DataSource database;

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
    void theRunningTotalIsTheLedgerSummedAndIsWhatIsPublished() throws SQLException {
        String account = Fixtures.newAccount("spend-total");
        Instant monthStart =
                YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<UsageEvent> traffic = Fixtures.mixedTraffic(account, 12, monthStart.plus(Duration.ofHours(1)));
        UsageEvent keyless = traffic.get(10);
        UsageEvent last = traffic.get(11);
        BigDecimal keyed =
                traffic.subList(0, 10).stream().map(Fixtures::expectedTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal beforeLast = keyed.add(Fixtures.expectedTotal(keyless));
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            traffic.subList(0, 10).forEach(e -> Fixtures.send(producer, Topics.USAGE, account, Fixtures.json(e)));
            Fixtures.send(producer, Topics.USAGE, account, withoutKey(keyless));
            assertEquals(0, beforeLast.compareTo(awaitSpend(account, beforeLast).spentUsd()));
            // Redeliveries in batches of their own, which reach the ledger's INSERT and insert nothing; the last
            // event follows them on the account's partition, so its spend is published only after they were read.
            Fixtures.send(producer, Topics.USAGE, account, Fixtures.json(traffic.get(0)));
            Fixtures.send(producer, Topics.USAGE, account, withoutKey(keyless));
            Fixtures.send(producer, Topics.USAGE, account, Fixtures.json(last));
        }
        BigDecimal expected = beforeLast.add(Fixtures.expectedTotal(last));

        AccountSpend spend = awaitSpend(account, expected);
        assertEquals(
                List.of("key-0", "key-1", "key-2"),
                spend.keys().stream().map(AccountSpend.KeySpend::keyId).toList());
        assertEquals(
                0,
                expected.subtract(Fixtures.expectedTotal(keyless))
                        .compareTo(spend.keys().stream()
                                .map(AccountSpend.KeySpend::spentUsd)
                                .reduce(BigDecimal.ZERO, BigDecimal::add)),
                "the keyless line counts in the account's spend and under no key");
        try (Connection c = database.getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT sum(line_count), sum(total_usd) FROM billing.account_key_spend"
                    + " WHERE account_id = '" + account + "'")) {
                rs.next();
                assertEquals(12, rs.getLong(1), "one line per event, none for a redelivery");
                assertEquals(0, expected.compareTo(rs.getBigDecimal(2)));
            }
            assertEquals(0, mismatches(s, "billing"), "running totals differing from the ledger, all accounts");
        }
    }

    /**
     * Migrates a schema of its own to V9, writes ledger lines there (two months, a key, a keyless line and a line
     * keyed {@code ''}, which must not mix with the keyless one), then runs V10: its backfill must be the ledger summed,
     * and from then on a purge subtracts and an emptied row goes.
     */
    @Test
    void theMigrationBackfillsTheRunningTotalsFromTheLedger() throws SQLException {
        String schema = "backfill_" + UUID.randomUUID().toString().substring(0, 8);
        FluentConfiguration migrations = Flyway.configure().dataSource(database).schemas(schema);
        try (Connection c = database.getConnection();
                Statement s = c.createStatement()) {
            try {
                migrations.target("9").load().migrate();
                s.execute(line(schema, "r1", "'k'", "2026-10-01", "0.10000000"));
                s.execute(line(schema, "r2", "'k'", "2026-10-01", "0.00000001"));
                s.execute(line(schema, "r3", "null", "2026-10-01", "0.20000000"));
                s.execute(line(schema, "r4", "''", "2026-10-01", "0.30000000"));
                s.execute(line(schema, "r5", "'k'", "2026-11-01", "0.40000000"));
                migrations.target("10").load().migrate();

                assertEquals(
                        List.of(
                                "2026-10-01 false '' 1 0.20000000",
                                "2026-10-01 true '' 1 0.30000000",
                                "2026-10-01 true 'k' 2 0.10000001",
                                "2026-11-01 true 'k' 1 0.40000000"),
                        totals(s, schema));
                assertEquals(0, mismatches(s, schema));

                s.execute("DELETE FROM " + schema + ".usage_ledger WHERE request_id IN ('r1', 'r3')");
                assertEquals(
                        List.of(
                                "2026-10-01 true '' 1 0.30000000",
                                "2026-10-01 true 'k' 1 0.00000001",
                                "2026-11-01 true 'k' 1 0.40000000"),
                        totals(s, schema));
            } finally {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static String withoutKey(UsageEvent e) {
        ObjectNode json = EventJson.MAPPER.valueToTree(e);
        json.putNull("key_id");
        return json.toString();
    }

    private static String line(String schema, String requestId, String keyId, String month, String totalUsd) {
        return "INSERT INTO " + schema + ".usage_ledger (account_id, request_id, key_id, input_tokens, output_tokens,"
                + " cached_tokens, latency_ms, status, http_status, fallback_attempts, streamed, event_version,"
                + " occurred_at, usage_day, billed_at, answered, provider_cost_usd, routing_fee_usd, total_usd,"
                + " invoice_month) VALUES ('acme', '" + requestId + "', " + keyId + ", 1, 1, 0, 1, 'SUCCEEDED', 200,"
                + " 0, false, 1, DATE '" + month + "', DATE '" + month + "', now(), true, " + totalUsd + ", 0, "
                + totalUsd + ", DATE '" + month + "')";
    }

    private static List<String> totals(Statement s, String schema) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT invoice_month, keyed, key_id, line_count, total_usd FROM " + schema
                + ".account_key_spend ORDER BY invoice_month, keyed, key_id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getBoolean(2) + " '" + rs.getString(3) + "' " + rs.getLong(4) + " "
                        + rs.getBigDecimal(5).toPlainString());
            }
        }
        return rows;
    }

    /** Rows of {@code schema}'s running totals that are not its ledger summed, or ledger groups without a row. */
    private static long mismatches(Statement s, String schema) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT account_id, invoice_month,"
                + " key_id IS NOT NULL AS keyed, coalesce(key_id, '') AS key_id, count(*) AS line_count,"
                + " sum(total_usd) AS total_usd FROM " + schema + ".usage_ledger GROUP BY 1, 2, 3, 4) ledger"
                + " FULL JOIN " + schema + ".account_key_spend spend USING (account_id, invoice_month, keyed, key_id)"
                + " WHERE ledger.total_usd IS DISTINCT FROM spend.total_usd"
                + " OR ledger.line_count IS DISTINCT FROM spend.line_count")) {
            rs.next();
            return rs.getLong(1);
        }
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
