package io.tokenhub.billing.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tokenhub.billing.TestEvents;
import io.tokenhub.billing.invoice.InvoiceCloser;
import io.tokenhub.billing.retention.RetentionJob;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Closed invoices on real Kafka and PostgreSQL: a month is closed (by two replicas at once), then a late event of
 * that month and a redelivery arrive, then retention purges its ledger lines: the closed invoice reads the same,
 * byte for byte, throughout. Amounts are written out from the published rates (gpt-4o 2.50/10.00, Claude 3.5 Sonnet
 * 3.00/15.00 per 1M tokens) plus the 0.0001 routing fee.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
class InvoiceClosingIT {

    /** The configured grace period in the test profile as in production. */
    private static final Duration GRACE = Duration.ofDays(3);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    InvoiceCloser closer;

    @Inject
    RetentionJob retention;

    @Test
    void aClosedInvoiceReadsTheSameAcrossALateEventARedeliveryAndARetentionRun() throws Exception {
        // Two months back is always past its grace period; this class is the only one that closes months.
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(2);
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        String account = Fixtures.newAccount("inv");
        String longLived = "long-retention";
        UsageEvent gpt = TestEvents.usage(account + "-a", account, "openai", "gpt-4o", 1000, 0, 500, day(month, 10));
        // Its prompt wrote 300 tokens to a 5-minute cache and 100 to a 1-hour one; the test catalog publishes no write
        // rate for Claude 3.5 Sonnet, so they cost the input rate and only the counts tell them apart.
        UsageEvent claude = TestEvents.usage(
                account + "-b",
                account,
                "key-1",
                "anthropic",
                "claude-3-5-sonnet",
                2000,
                0,
                300,
                100,
                200,
                RequestStatus.SUCCEEDED,
                day(month, 11));
        UsageEvent kept =
                TestEvents.usage(longLived + "-a", longLived, "openai", "gpt-4o", 1000, 0, 500, day(month, 12));
        send(gpt, claude, kept);
        ApiCalls.awaitLine(account, gpt.requestId());
        ApiCalls.awaitLine(account, claude.requestId());
        ApiCalls.awaitLine(longLived, kept.requestId());

        String path = "/api/billing/invoices/" + month;
        String member = ApiCalls.token(account);
        JsonPath open = ApiCalls.getJson(member, path);
        assertEquals("open", open.getString("status"));
        assertNull(open.get("closed_at"));
        // 1000 x 2.50 + 500 x 10.00 = 0.0075, 2000 x 3.00 + 200 x 15.00 = 0.009, per 1M tokens, plus two fees
        assertEquals("0.01670000", open.getString("total_usd"));
        assertEquals("0.01650000", open.getString("provider_cost_usd"));
        assertEquals("0.00020000", open.getString("routing_fee_usd"));

        // Two replicas close at the same moment: the month closes once.
        Instant due = month.plusMonths(1)
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .plus(GRACE);
        // A second before, the month is not due (the first close ever does close the empty month before it).
        assertFalse(closer.closeDue(due.minusSeconds(1)).contains(month), "closed before its grace period ended");
        assertEquals("open", ApiCalls.getJson(member, path).getString("status"));
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<YearMonth>>> replicas = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            replicas.add(CompletableFuture.supplyAsync(() -> {
                await(start);
                return closer.closeDue(due);
            }));
        }
        start.countDown();
        List<YearMonth> closedByBoth = new ArrayList<>();
        for (CompletableFuture<List<YearMonth>> r : replicas) {
            closedByBoth.addAll(r.get(60, TimeUnit.SECONDS));
        }
        assertEquals(List.of(month), closedByBoth);
        assertEquals(List.of(), closer.closeDue(due), "closing again must change nothing");

        String closedBody = ApiCalls.body(member, path);
        JsonPath closed = JsonPath.from(closedBody);
        assertEquals("closed", closed.getString("status"));
        assertNotNull(closed.get("closed_at"));
        assertEquals(open.getList("lines"), closed.getList("lines"));
        assertEquals("0.01670000", closed.getString("total_usd"));
        assertEquals(2, closed.getInt("request_count"));
        // the snapshot keeps the cache-write counts, in its total and on the line they came from
        assertEquals(300, closed.getInt("cache_write_5m_tokens"));
        assertEquals(100, closed.getInt("cache_write_1h_tokens"));
        assertEquals(
                List.of(100),
                closed.getList("lines.findAll { it.model == 'claude-3-5-sonnet' }.cache_write_1h_tokens"));

        // After closing: a late event of the closed month, and a redelivery of one already on the closed invoice.
        UsageEvent late =
                TestEvents.usage(account + "-late", account, "openai", "gpt-4o", 4000, 0, 1000, day(month, 20));
        send(gpt, late);
        JsonPath lateLine = ApiCalls.awaitLine(account, late.requestId());
        assertEquals(true, lateLine.getBoolean("adjustment"));
        assertEquals(month.toString(), lateLine.getString("adjustment_for"));
        assertEquals(current.toString(), lateLine.getString("invoice_period"));
        assertEquals(late.occurredAt(), Instant.parse(lateLine.getString("occurred_at")));
        // 4000 x 2.50 + 1000 x 10.00 per 1M tokens, plus the fee
        assertEquals("0.02010000", lateLine.getString("total_usd"));
        assertEquals(false, ApiCalls.awaitLine(account, gpt.requestId()).getBoolean("adjustment"));
        assertEquals(closedBody, ApiCalls.body(member, path), "a late event changed a closed invoice");

        JsonPath now = ApiCalls.getJson(member, "/api/billing/invoices/" + current);
        assertEquals("open", now.getString("status"));
        assertEquals(
                List.of(Map.of(
                        "model", "gpt-4o",
                        "provider", "openai",
                        "adjustment_for", month.toString(),
                        "total_usd", "0.02010000",
                        "request_count", 1)),
                now.getList("lines", Map.class).stream()
                        .map(l -> Map.of(
                                "model", l.get("model"),
                                "provider", l.get("provider"),
                                "adjustment_for", l.get("adjustment_for"),
                                "total_usd", l.get("total_usd"),
                                "request_count", l.get("request_count")))
                        .toList());
        assertEquals("0.02010000", now.getString("total_usd"));
        // the redelivery was a duplicate: three requests ran in that month (usage counts by when they ran), not four
        assertEquals(
                3,
                ApiCalls.getJson(
                                member,
                                "/api/billing/usage",
                                "from",
                                month.atDay(1)
                                        .atStartOfDay()
                                        .toInstant(ZoneOffset.UTC)
                                        .toString(),
                                "to",
                                month.plusMonths(1)
                                        .atDay(1)
                                        .atStartOfDay()
                                        .toInstant(ZoneOffset.UTC)
                                        .toString())
                        .getInt("request_count"));

        // 450 days on, the default 400-day retention purges the closed month's lines; the 1000-day account keeps its
        // line, and the adjustment, on a still open invoice, is never purged.
        long purged = retention.purge(Instant.now().plus(Duration.ofDays(450)));
        assertTrue(purged >= 2, "purged " + purged);
        String admin = ApiCalls.admin();
        for (UsageEvent gone : List.of(gpt, claude)) {
            given().auth()
                    .oauth2(member)
                    .get("/api/billing/requests/" + gone.requestId())
                    .then()
                    .statusCode(404);
        }
        ApiCalls.getJson(admin, "/api/billing/requests/" + kept.requestId(), "account", longLived);
        ApiCalls.getJson(member, "/api/billing/requests/" + late.requestId());
        assertEquals(closedBody, ApiCalls.body(member, path), "retention changed a closed invoice");
        assertEquals(0, retention.purgeInvoices(Instant.now().plus(Duration.ofDays(450))));
        assertEquals(closedBody, ApiCalls.body(member, path));

        // The invoice itself is kept seven years from the month's end, and not a second more.
        Instant keptUntil = ZonedDateTime.ofInstant(due.minus(GRACE), ZoneOffset.UTC)
                .plusYears(7)
                .toInstant();
        assertEquals(0, retention.purgeInvoices(keptUntil.minusSeconds(1)));
        assertEquals(closedBody, ApiCalls.body(member, path));
        assertTrue(retention.purgeInvoices(keptUntil) >= 2, "the invoices of both accounts");
        JsonPath purgedInvoice = ApiCalls.getJson(member, path);
        assertEquals("closed", purgedInvoice.getString("status"));
        assertTrue(purgedInvoice.getList("lines").isEmpty());
        assertFalse(closedBody.contains("\"content\""));
    }

    private void send(UsageEvent... events) {
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            for (UsageEvent e : events) {
                Fixtures.send(producer, Topics.USAGE, e.accountId(), Fixtures.json(e));
            }
        }
    }

    private static Instant day(YearMonth month, int day) {
        return month.atDay(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
