package io.tokenhub.billing.it;

import static io.restassured.RestAssured.given;
import static io.tokenhub.billing.it.ApiCalls.getJson;
import static io.tokenhub.billing.it.ApiCalls.sleep;
import static io.tokenhub.billing.it.ApiCalls.token;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tokenhub.billing.retention.RetentionJob;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * billing-service on real Kafka and real PostgreSQL: usage events produced with a plain Kafka producer, duplicates
 * and broken events included, then read back through the dashboard API with real signed tokens.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingApiIT {

    // Health, metrics and the OpenAPI document are on the management interface (its root is /q), not the API port.
    @TestHTTPResource(value = "/health/ready", management = true)
    URL readyUrl;

    @TestHTTPResource(value = "/health/live", management = true)
    URL liveUrl;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapiUrl;

    private static final int REQUESTS = 50;
    private static final String ADMIN = "tokenhub-admin";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    RetentionJob retention;

    @Inject
    DataSource database;

    private final String acme = Fixtures.newAccount("acme");
    private final String globex = Fixtures.newAccount("globex");
    private final Instant monthStart =
            YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    private List<UsageEvent> acmeTraffic;
    private List<ConsumerRecord<String, String>> acmeDeadLetters;

    /** Sends acme's traffic twice over, globex's once, and a set of events billing must refuse. */
    @BeforeAll
    void produceTraffic() {
        acmeTraffic = Fixtures.mixedTraffic(acme, REQUESTS, monthStart.plus(Duration.ofHours(1)));
        UsageEvent first = acmeTraffic.get(0);
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            for (UsageEvent e : acmeTraffic) {
                Fixtures.send(producer, Topics.USAGE, acme, Fixtures.json(e));
            }
            for (UsageEvent e : Fixtures.mixedTraffic(globex, 5, monthStart.plus(Duration.ofHours(2)))) {
                Fixtures.send(producer, Topics.USAGE, globex, Fixtures.json(e));
            }
            // a redelivery of everything: must not bill anything twice
            for (UsageEvent e : acmeTraffic) {
                Fixtures.send(producer, Topics.USAGE, acme, Fixtures.json(e));
            }
            // what billing must set aside, each for its own reason
            Fixtures.send(producer, Topics.USAGE, acme, "{not json");
            Fixtures.send(producer, Topics.USAGE, acme, null);
            Fixtures.send(
                    producer,
                    Topics.USAGE,
                    acme,
                    Fixtures.json(new UsageEvent(
                            1,
                            acme + "-unknown",
                            acme,
                            "k",
                            "gpt-99",
                            "gpt-99",
                            "openai",
                            "gpt-99",
                            10,
                            10,
                            0,
                            5,
                            null,
                            RequestStatus.SUCCEEDED,
                            200,
                            0,
                            false,
                            monthStart,
                            null,
                            null,
                            Api.CHAT_COMPLETIONS,
                            UsageSource.REPORTED,
                            0,
                            0)));
            Fixtures.send(
                    producer,
                    Topics.USAGE,
                    acme,
                    Fixtures.json(new UsageEvent(
                            1,
                            acme + "-bad-cache",
                            acme,
                            "k",
                            "gpt-4o",
                            "gpt-4o",
                            "openai",
                            "gpt-4o",
                            10,
                            10,
                            11,
                            5,
                            null,
                            RequestStatus.SUCCEEDED,
                            200,
                            0,
                            false,
                            monthStart,
                            null,
                            null,
                            Api.CHAT_COMPLETIONS,
                            UsageSource.REPORTED,
                            0,
                            0)));
            Fixtures.send(
                    producer,
                    Topics.USAGE,
                    acme,
                    Fixtures.json(new UsageEvent(
                            1,
                            acme + "-old",
                            acme,
                            "k",
                            "gpt-4o",
                            "gpt-4o",
                            "openai",
                            "gpt-4o",
                            10,
                            10,
                            0,
                            5,
                            null,
                            RequestStatus.SUCCEEDED,
                            200,
                            0,
                            false,
                            Instant.now().minus(Duration.ofDays(401)),
                            null,
                            null,
                            Api.CHAT_COMPLETIONS,
                            UsageSource.REPORTED,
                            0,
                            0)));
            Fixtures.send(
                    producer,
                    Topics.USAGE,
                    acme,
                    Fixtures.json(new UsageEvent(
                            1,
                            first.requestId(),
                            acme,
                            first.keyId(),
                            first.requestedModel(),
                            first.model(),
                            first.provider(),
                            first.providerModel(),
                            first.inputTokens() + 1,
                            first.outputTokens(),
                            first.cachedTokens(),
                            first.latencyMs(),
                            first.timeToFirstTokenMs(),
                            first.status(),
                            first.httpStatus(),
                            first.fallbackAttempts(),
                            first.streamed(),
                            first.occurredAt(),
                            null,
                            null,
                            Api.CHAT_COMPLETIONS,
                            UsageSource.REPORTED,
                            0,
                            0)));
        }
        acmeDeadLetters = Fixtures.deadLetters(bootstrap, acme, 6);
    }

    private static BigDecimal money(JsonPath json, String path) {
        Object value = json.get(path);
        assertTrue(value instanceof String, path + " must be a JSON string, was " + value);
        BigDecimal amount = new BigDecimal((String) value);
        assertEquals(8, amount.scale(), path + " must carry 8 decimals: " + value);
        return amount;
    }

    @Test
    void everyEventIsBilledOnceAtThePublishedPriceAndTheRestIsDeadLettered() {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, String> r : acmeDeadLetters) {
            String reason =
                    new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
            reasons.merge(reason, "x", String::concat);
            assertEquals(
                    Topics.USAGE,
                    new String(r.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8));
            assertTrue(r.headers().lastHeader("dead-letter-offset") != null);
        }
        assertEquals(
                Map.of(
                        "malformed_json",
                        "x",
                        "empty_value",
                        "x",
                        "unknown_model",
                        "x",
                        "invalid_event",
                        "x",
                        "outside_retention",
                        "x",
                        "conflicting_duplicate",
                        "x"),
                reasons);

        String member = token(acme);
        JsonPath usage = getJson(member, "/api/billing/usage");
        assertEquals(REQUESTS, usage.getInt("request_count"));
        assertEquals(acme, usage.getString("account"));
        BigDecimal expectedTotal =
                acmeTraffic.stream().map(Fixtures::expectedTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(expectedTotal, money(usage, "total_usd"));
        assertEquals(
                money(usage, "total_usd"), money(usage, "provider_cost_usd").add(money(usage, "routing_fee_usd")));
        long answered = acmeTraffic.stream()
                .filter(e -> e.status() == RequestStatus.SUCCEEDED
                        || (e.status() == RequestStatus.CANCELLED && e.outputTokens() > 0))
                .count();
        assertEquals(answered, usage.getLong("answered_request_count"));
        assertEquals(Fixtures.FEE.multiply(BigDecimal.valueOf(answered)).setScale(8), money(usage, "routing_fee_usd"));
        assertEquals(acmeTraffic.stream().mapToLong(UsageEvent::inputTokens).sum(), usage.getLong("input_tokens"));

        // every breakdown adds up to the total, exactly
        for (String breakdown : List.of("by_model", "by_provider", "by_key", "by_day", "by_api")) {
            List<Map<String, Object>> lines = usage.getList(breakdown);
            assertFalse(lines.isEmpty(), breakdown);
            BigDecimal sum = lines.stream()
                    .map(l -> new BigDecimal((String) l.get("total_usd")))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(money(usage, "total_usd"), sum, breakdown);
            assertEquals(
                    REQUESTS,
                    lines.stream()
                            .mapToInt(l -> (Integer) l.get("request_count"))
                            .sum(),
                    breakdown);
        }
        assertEquals(5, usage.getList("by_provider").size());
        // The fixtures cycle through the four APIs: each one's requests, counted from what was sent.
        Map<String, Long> perApi =
                acmeTraffic.stream().collect(Collectors.groupingBy(e -> e.api().wireName(), Collectors.counting()));
        assertEquals(4, perApi.size());
        for (Map<String, Object> api : usage.<Map<String, Object>>getList("by_api")) {
            assertEquals(
                    perApi.get((String) api.get("api")),
                    ((Integer) api.get("request_count")).longValue(),
                    api.toString());
        }
        assertEquals(4, usage.getList("by_api").size());
        assertEquals(3, usage.getList("by_key").size());
        for (Map<String, Object> key : usage.<Map<String, Object>>getList("by_key")) {
            // Fixtures name key-N "team N": the name rides on each event and comes back beside the id.
            assertEquals("team " + ((String) key.get("key_id")).substring(4), key.get("key_name"), key.toString());
        }

        // the ledger, paged newest first, holds every request exactly once with its own price
        Map<String, UsageEvent> sent =
                acmeTraffic.stream().collect(Collectors.toMap(UsageEvent::requestId, Function.identity()));
        Set<String> seen = new HashSet<>();
        BigDecimal ledgerSum = BigDecimal.ZERO;
        Instant previous = Instant.MAX;
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = cursor == null
                    ? getJson(member, "/api/billing/requests", "limit", 7)
                    : getJson(member, "/api/billing/requests", "limit", 7, "cursor", cursor);
            pages++;
            List<Map<String, Object>> data = page.getList("data");
            for (int i = 0; i < data.size(); i++) {
                String id = (String) data.get(i).get("request_id");
                assertTrue(seen.add(id), "listed twice: " + id);
                Instant at = Instant.parse((String) data.get(i).get("occurred_at"));
                assertFalse(at.isAfter(previous), "not newest first");
                previous = at;
                BigDecimal total = money(page, "data[" + i + "].total_usd");
                assertEquals(Fixtures.expectedTotal(sent.get(id)), total, id);
                ledgerSum = ledgerSum.add(total);
            }
            cursor = page.getString("next_cursor");
            assertEquals(cursor != null, page.getBoolean("has_more"));
        } while (cursor != null);
        assertEquals(sent.keySet(), seen);
        assertEquals((REQUESTS + 6) / 7, pages);
        assertEquals(money(usage, "total_usd"), ledgerSum);

        // the long Gemini prompt was billed whole at the tier
        UsageEvent longPrompt = acmeTraffic.stream()
                .filter(e -> e.inputTokens() > 128_000)
                .findFirst()
                .orElseThrow();
        JsonPath line = getJson(member, "/api/billing/requests/" + longPrompt.requestId());
        assertEquals(128_000, line.getInt("price_tier_above_prompt_tokens"));
        assertEquals("2.50", line.getString("input_usd_per_1m"));
        assertEquals(longPrompt.inputTokens(), line.getLong("input_tokens"));
        assertNull(line.get("content"));
    }

    @Test
    void theInvoiceHasALinePerModelAndItsTotalIsTheSumOfTheLedger() {
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        JsonPath invoice = getJson(token(acme), "/api/billing/invoices/" + period);
        assertEquals(period, invoice.getString("period"));
        assertEquals("open", invoice.getString("status"));
        List<Map<String, Object>> lines = invoice.getList("lines");
        assertEquals(5, lines.size());
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> l : lines) {
            BigDecimal lineCost = new BigDecimal((String) l.get("provider_cost_usd"));
            BigDecimal lineFees = new BigDecimal((String) l.get("routing_fee_usd"));
            BigDecimal lineTotal = new BigDecimal((String) l.get("total_usd"));
            assertEquals(lineTotal, lineCost.add(lineFees), "line " + l.get("model"));
            String model = (String) l.get("model");
            BigDecimal expected = acmeTraffic.stream()
                    .filter(e -> e.model().equals(model))
                    .map(Fixtures::expectedTotal)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(expected, lineTotal, model);
            cost = cost.add(lineCost);
            fees = fees.add(lineFees);
            total = total.add(lineTotal);
        }
        assertEquals(total, money(invoice, "total_usd"));
        assertEquals(cost, money(invoice, "provider_cost_usd"));
        assertEquals(fees, money(invoice, "routing_fee_usd"));
        assertEquals(REQUESTS, invoice.getInt("request_count"));

        JsonPath previousMonth = getJson(
                token(acme),
                "/api/billing/invoices/" + YearMonth.now(ZoneOffset.UTC).minusMonths(1));
        assertEquals("0.00000000", previousMonth.getString("total_usd"));
        assertTrue(previousMonth.getList("lines").isEmpty());
    }

    @Test
    void theCsvExportHoldsTheSameLinesAsTheLedger() {
        String csv = given().auth()
                .oauth2(token(acme))
                .get("/api/billing/requests.csv")
                .then()
                .statusCode(200)
                .contentType("text/csv")
                .extract()
                .asString();
        String[] rows = csv.split("\r\n");
        assertEquals(REQUESTS + 1, rows.length);
        List<String> header = List.of(rows[0].split(","));
        int totalColumn = header.indexOf("total_usd");
        int idColumn = header.indexOf("request_id");
        BigDecimal sum = BigDecimal.ZERO;
        Set<String> ids = new HashSet<>();
        for (int i = 1; i < rows.length; i++) {
            String[] cells = rows[i].split(",", -1);
            sum = sum.add(new BigDecimal(cells[totalColumn]));
            ids.add(cells[idColumn]);
        }
        assertEquals(REQUESTS, ids.size());
        assertEquals(acmeTraffic.stream().map(Fixtures::expectedTotal).reduce(BigDecimal.ZERO, BigDecimal::add), sum);
    }

    @Test
    void oneClientRequestIdOnManyRequestsGivesALineEachFoundByThatId() throws InterruptedException {
        String account = Fixtures.newAccount("corr");
        List<UsageEvent> sent = Fixtures.mixedTraffic(account, 4, monthStart.plus(Duration.ofHours(3)));
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            for (UsageEvent e : sent) {
                ObjectNode value = EventJson.MAPPER.valueToTree(e);
                value.put("client_request_id", "client-trace.7");
                Fixtures.send(producer, Topics.USAGE, account, value.toString());
            }
        }
        List<Map<String, Object>> lines = List.of();
        for (int i = 0; i < 240 && lines.size() < sent.size(); i++) {
            Thread.sleep(250);
            lines = getJson(token(account), "/api/billing/requests", "client_request_id", "client-trace.7")
                    .getList("data");
        }
        assertEquals(sent.size(), lines.size(), "one ledger line per request sharing the client id");
        assertEquals(
                sent.stream().map(UsageEvent::requestId).collect(Collectors.toSet()),
                lines.stream().map(l -> (String) l.get("request_id")).collect(Collectors.toSet()));
        lines.forEach(l -> assertEquals("client-trace.7", l.get("client_request_id")));
        assertTrue(getJson(token(account), "/api/billing/requests", "client_request_id", "other")
                .getList("data")
                .isEmpty());
        String csv = given().auth()
                .oauth2(token(account))
                .get("/api/billing/requests.csv")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String[] rows = csv.split("\r\n");
        int column = List.of(rows[0].split(",")).indexOf("client_request_id");
        assertTrue(column >= 0, rows[0]);
        for (int i = 1; i < rows.length; i++) {
            assertEquals("client-trace.7", rows[i].split(",", -1)[column]);
        }
    }

    @Test
    void everyLineSaysItsApiAndWhetherItsCountsWereEstimated() {
        Map<String, UsageEvent> sent = acmeTraffic.stream().collect(Collectors.toMap(UsageEvent::requestId, e -> e));
        List<Map<String, Object>> lines =
                getJson(token(acme), "/api/billing/requests", "limit", 1000).getList("data");
        assertEquals(REQUESTS, lines.size());
        for (Map<String, Object> line : lines) {
            UsageEvent e = sent.get((String) line.get("request_id"));
            assertEquals(e.api().wireName(), line.get("api"), line.toString());
            assertEquals(e.usageSource().wireName(), line.get("usage_source"), line.toString());
        }
        assertEquals(
                Set.of("reported", "estimated"),
                lines.stream().map(l -> l.get("usage_source")).collect(Collectors.toSet()),
                "the traffic holds both");
        UsageEvent estimated = acmeTraffic.stream()
                .filter(e -> e.usageSource() == UsageSource.ESTIMATED)
                .findFirst()
                .orElseThrow();
        JsonPath one = getJson(token(acme), "/api/billing/requests/" + estimated.requestId());
        assertEquals("estimated", one.getString("usage_source"));
        assertEquals(estimated.api().wireName(), one.getString("api"));

        String[] rows = given().auth()
                .oauth2(token(acme))
                .get("/api/billing/requests.csv")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .split("\r\n");
        List<String> header = List.of(rows[0].split(","));
        int id = header.indexOf("request_id");
        int api = header.indexOf("api");
        int source = header.indexOf("usage_source");
        assertTrue(api >= 0 && source >= 0, rows[0]);
        for (int i = 1; i < rows.length; i++) {
            String[] cells = rows[i].split(",", -1);
            UsageEvent e = sent.get(cells[id]);
            assertEquals(e.api().wireName(), cells[api], rows[i]);
            assertEquals(e.usageSource().wireName(), cells[source], rows[i]);
        }
    }

    @Test
    void anEventWrittenBeforeApiAndUsageSourceIsBilledAsOfThenAndItsRedeliveryIsNoConflict() {
        String account = Fixtures.newAccount("old");
        // Fixture request 7 is a cancelled stream, request 0 an answered one.
        List<UsageEvent> traffic = Fixtures.mixedTraffic(account, 8, monthStart.plus(Duration.ofHours(4)));
        List<UsageEvent> old = List.of(traffic.get(0), traffic.get(7));
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            for (int delivery = 0; delivery < 2; delivery++) {
                for (UsageEvent e : old) {
                    ObjectNode value = EventJson.MAPPER.valueToTree(e);
                    value.remove(List.of("api", "usage_source"));
                    Fixtures.send(producer, Topics.USAGE, account, value.toString());
                }
            }
        }
        awaitRequestCount(token(null, ADMIN), account, old.size());
        JsonPath answered =
                getJson(token(account), "/api/billing/requests/" + old.get(0).requestId());
        assertEquals("chat.completions", answered.getString("api"));
        assertEquals("reported", answered.getString("usage_source"));
        JsonPath cancelled =
                getJson(token(account), "/api/billing/requests/" + old.get(1).requestId());
        assertEquals("CANCELLED", cancelled.getString("status"));
        assertEquals("chat.completions", cancelled.getString("api"));
        assertEquals("estimated", cancelled.getString("usage_source"));
        assertEquals(List.of(), Fixtures.deadLetters(bootstrap, account, 0), "a redelivery is a duplicate");
    }

    /** Lines written before V5 got its defaults; the CHECKs keep out a value the contract does not name. */
    @Test
    void aLineWrittenWithoutApiAndUsageSourceReadsAsAReportedChatCompletion() throws SQLException {
        String account = Fixtures.newAccount("pre-v5");
        String insert = "INSERT INTO billing.usage_ledger (account_id, request_id, key_id, requested_model, model,"
                + " provider, provider_model, input_tokens, output_tokens, cached_tokens, latency_ms, status,"
                + " http_status, fallback_attempts, streamed, event_version, occurred_at, usage_day, billed_at,"
                + " answered, provider_cost_usd, routing_fee_usd, total_usd, invoice_month%s)"
                + " VALUES ('" + account + "', '%s', 'k', 'gpt-4o-mini', 'gpt-4o-mini', 'openai', 'gpt-4o-mini',"
                + " 1000, 500, 0, 120, 'SUCCEEDED', 200, 0, false, 1, now(), (now() AT TIME ZONE 'UTC')::date,"
                + " now(), true, 0.00045000, 0.00010000, 0.00055000,"
                + " date_trunc('month', now() AT TIME ZONE 'UTC')::date%s)";
        try (Connection c = database.getConnection();
                Statement s = c.createStatement()) {
            s.execute(insert.formatted("", "pre-v5-line", ""));
            assertThrows(
                    SQLException.class,
                    () -> s.execute(insert.formatted(", api", "pre-v5-chat", ", 'chat'")),
                    "an api outside the contract");
            assertThrows(
                    SQLException.class,
                    () -> s.execute(insert.formatted(", usage_source", "pre-v5-guess", ", 'guessed'")),
                    "a usage_source outside the contract");
        }
        JsonPath line = getJson(token(account), "/api/billing/requests/pre-v5-line");
        assertEquals("chat.completions", line.getString("api"));
        assertEquals("reported", line.getString("usage_source"));
    }

    @Test
    void oneAccountNeverReadsAnother() {
        String acmeRequest = acmeTraffic.get(1).requestId();
        String globexMember = token(globex);
        // a foreign request id looks exactly like an unknown one
        Response foreign = given().auth().oauth2(globexMember).get("/api/billing/requests/" + acmeRequest);
        foreign.then()
                .statusCode(404)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("not_found"));
        assertFalse(foreign.asString().contains("total_usd"));
        given().auth()
                .oauth2(globexMember)
                .get("/api/billing/requests/no-such-request")
                .then()
                .statusCode(404);
        // naming another account is refused, for every view
        for (String path : List.of(
                "/api/billing/usage",
                "/api/billing/requests",
                "/api/billing/requests.csv",
                "/api/billing/invoices/" + YearMonth.now(ZoneOffset.UTC))) {
            given().auth()
                    .oauth2(globexMember)
                    .queryParam("account", acme)
                    .get(path)
                    .then()
                    .statusCode(403)
                    .body("error.type", equalTo("permission_error"))
                    .body("error.code", equalTo("account_forbidden"));
        }
        // globex sees its own five requests only
        awaitRequestCount(token(null, ADMIN), globex, 5);
        JsonPath own = getJson(globexMember, "/api/billing/requests", "limit", 100);
        assertEquals(5, own.getList("data").size());
        assertTrue(own.getList("data.account_id").stream().allMatch(globex::equals));
        // the administrator sees any account, and all of them together
        String admin = token(null, ADMIN);
        assertEquals(
                acme,
                getJson(admin, "/api/billing/requests/" + acmeRequest, "account", acme)
                        .getString("account_id"));
        assertEquals(
                acme, getJson(admin, "/api/billing/requests/" + acmeRequest).getString("account_id"));
        JsonPath all = getJson(admin, "/api/billing/usage");
        assertNull(all.get("account"));
        assertTrue(all.getInt("request_count") >= REQUESTS + 5);
        assertEquals(
                REQUESTS, getJson(admin, "/api/billing/usage", "account", acme).getInt("request_count"));
        // an invoice is per account: the administrator must say whose
        given().auth()
                .oauth2(admin)
                .get("/api/billing/invoices/" + YearMonth.now(ZoneOffset.UTC))
                .then()
                .statusCode(400)
                .body("error.param", equalTo("account"));
        // a member token without an account claim gets nothing
        given().auth()
                .oauth2(token(null))
                .get("/api/billing/usage")
                .then()
                .statusCode(403)
                .body("error.code", equalTo("no_account"));
    }

    @Test
    void withoutAValidTokenTheAnswerIsA401InTheOpenAiShape() {
        given().get("/api/billing/usage")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_token"))
                .body("error.param", nullValue())
                .body("error.message", notNullValue());
        given().auth()
                .oauth2("not.a.jwt")
                .get("/api/billing/requests")
                .then()
                .statusCode(401)
                .body("error.type", equalTo("invalid_request_error"));
        given().get("/api/billing/prices").then().statusCode(401);
        // Signed by the same issuer with the same claims, but for another client of the realm.
        given().auth()
                .oauth2(DevOidcTestResource.tokenForAudience("another-app", "acct-aud"))
                .get("/api/billing/usage")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("invalid_token"));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("acct-aud"))
                .get("/api/billing/usage")
                .then()
                .statusCode(200);
    }

    @Test
    void badParametersAreAnswered400WithTheParameterNamed() {
        String member = token(acme);
        given().auth()
                .oauth2(member)
                .queryParam("from", "yesterday")
                .get("/api/billing/usage")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("from"))
                .body("error.type", equalTo("invalid_request_error"));
        given().auth()
                .oauth2(member)
                .queryParam("from", "2026-02-01T00:00:00Z")
                .queryParam("to", "2026-01-01T00:00:00Z")
                .get("/api/billing/usage")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("to"));
        given().auth()
                .oauth2(member)
                .queryParam("limit", "0")
                .get("/api/billing/requests")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("limit"));
        given().auth()
                .oauth2(member)
                .queryParam("cursor", "forged")
                .get("/api/billing/requests")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("cursor"));
        // malformed, before 2020-01, or more than a month ahead
        for (String period : List.of(
                "2026-13",
                "0000-01",
                "2019-12",
                "26-01",
                YearMonth.now(ZoneOffset.UTC).plusMonths(2).toString())) {
            given().auth()
                    .oauth2(member)
                    .get("/api/billing/invoices/" + period)
                    .then()
                    .statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.code", equalTo("invalid_period"))
                    .body("error.param", equalTo("period"));
        }
        given().auth()
                .oauth2(member)
                .get("/api/billing/invoices/" + YearMonth.now(ZoneOffset.UTC).plusMonths(1))
                .then()
                .statusCode(200)
                .body("status", equalTo("open"))
                .body("total_usd", equalTo("0.00000000"));
        given().auth()
                .oauth2(member)
                .get("/api/billing/nothing-here")
                .then()
                .statusCode(404)
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void pricesShowTheCatalogInForceWithTiersAndTheRoutingFee() {
        JsonPath prices = getJson(token(acme), "/api/billing/prices");
        assertEquals("0.00010000", prices.getString("routing_fee_usd"));
        assertEquals("USD", prices.getString("currency"));
        Map<String, Object> pro = prices.getMap("data.find { it.model == 'gemini-1.5-pro' }");
        assertEquals("1.25", pro.get("input_per_1m"));
        assertEquals("1.25", pro.get("cached_input_per_1m"));
        assertEquals(false, pro.get("cached_input_price_published"));
        assertEquals(128000, prices.getInt("data.find { it.model == 'gemini-1.5-pro' }.tiers[0].above_prompt_tokens"));
        assertEquals("10.00", prices.getString("data.find { it.model == 'gemini-1.5-pro' }.tiers[0].output_per_1m"));
        // o3 changed price on 2025-06-10: asking for an earlier instant shows the earlier price
        assertEquals("2.00", prices.getString("data.find { it.model == 'o3' }.input_per_1m"));
        JsonPath before = getJson(token(acme), "/api/billing/prices", "at", "2025-06-01T00:00:00Z");
        assertEquals("10.00", before.getString("data.find { it.model == 'o3' }.input_per_1m"));
        // a model with no price in force is not offered as billable
        assertNull(prices.get("data.find { it.model == 'llama-4-preview' }"));
    }

    @Test
    void metricsCountDeadLettersAndDuplicates() {
        String metrics = given().get(metricsUrl.toString())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("tokenhub_billing_dead_letters_total")
                                && l.contains("reason=\"malformed_json\"")
                                && !l.endsWith(" 0.0")),
                metrics);
        assertTrue(metrics.lines()
                .anyMatch(l -> l.startsWith("tokenhub_billing_events_total")
                        && l.contains("outcome=\"duplicate\"")
                        && !l.endsWith(" 0.0")));
        // every reason is registered up front, so an alert on it sees 0 rather than no series
        assertTrue(metrics.contains("reason=\"no_price_in_force\""));
    }

    /** Per-account schedules on closed months are in InvoiceClosingIT; an open month is never purged. */
    @Test
    void retentionNeverPurgesTheLinesOfAnOpenMonth() {
        String shortLived = "short-retention";
        List<UsageEvent> events =
                Fixtures.mixedTraffic(shortLived, 3, Instant.now().minus(Duration.ofHours(2)));
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            for (UsageEvent e : events) {
                Fixtures.send(producer, Topics.USAGE, shortLived, Fixtures.json(e));
            }
        }
        String admin = token(null, ADMIN);
        awaitRequestCount(admin, shortLived, 3);
        // two days on, the 1-day account is past retention, but its month's invoice is open: nothing goes
        retention.purge(Instant.now().plus(Duration.ofDays(2)));
        assertEquals(
                3, getJson(admin, "/api/billing/usage", "account", shortLived).getInt("request_count"));
        assertEquals(
                REQUESTS, getJson(admin, "/api/billing/usage", "account", acme).getInt("request_count"));
    }

    @Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPortOnly() {
        given().get(readyUrl.toString()).then().statusCode(200);
        given().get(liveUrl.toString()).then().statusCode(200);
        String openapi = given().get(openapiUrl.toString())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(openapi.contains("/api/billing/invoices/{period}"));
        for (String path : List.of("/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi")) {
            given().get(path).then().statusCode(404);
        }
    }

    private static void awaitRequestCount(String admin, String account, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int count = -1;
        while (System.nanoTime() < deadline) {
            count = getJson(admin, "/api/billing/usage", "account", account).getInt("request_count");
            if (count == expected) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError(account + " has " + count + " billed requests, expected " + expected);
    }
}
