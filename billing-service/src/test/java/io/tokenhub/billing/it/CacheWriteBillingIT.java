package io.tokenhub.billing.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tokenhub.billing.TestEvents;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Prompt-cache writes billed on real Kafka and PostgreSQL at their own rates, and an event written before routing
 * counted them still billed as before. Every amount is worked out by hand from Anthropic's pricing page
 * (https://platform.claude.com/docs/en/about-claude/pricing, as common's published-prices.tsv transcribes it; the
 * page was not fetched again here): Claude Sonnet 4.5 per million tokens, base input 3.00, 5-minute cache writes 3.75,
 * 1-hour cache writes 6.00, cache hits 0.30, output 15.00; plus the test profile's 0.0001 routing fee.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
class CacheWriteBillingIT {

    private static final String MODEL = "claude-sonnet-4-5";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void cacheWritesAreBilledAtTheirRatesAndShownOnTheLineTheUsageAndTheInvoice() {
        String account = Fixtures.newAccount("cache");
        Instant at = Instant.now().minus(Duration.ofMinutes(5));
        // 20000 prompt tokens: 5000 read from the cache, 8000 written for 5 minutes, 4000 for an hour, 3000 plain.
        UsageEvent writes = TestEvents.usage(
                account + "-writes",
                account,
                "key-1",
                "anthropic",
                MODEL,
                20_000,
                5_000,
                8_000,
                4_000,
                1_200,
                RequestStatus.SUCCEEDED,
                at);
        // The same request as routing wrote it before the write fields existed: no cache_write_* at all.
        UsageEvent old = TestEvents.usage(account + "-old", account, "anthropic", MODEL, 1_000, 400, 100, at);
        ObjectNode oldShape = EventJson.MAPPER.valueToTree(old);
        oldShape.remove(List.of("cache_write_5m_tokens", "cache_write_1h_tokens"));
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            Fixtures.send(producer, Topics.USAGE, account, Fixtures.json(writes));
            Fixtures.send(producer, Topics.USAGE, account, oldShape.toString());
        }

        JsonPath line = ApiCalls.awaitLine(account, writes.requestId());
        // 3000 x 3.00 + 5000 x 0.30 + 8000 x 3.75 + 4000 x 6.00 + 1200 x 15.00
        // = 9000 + 1500 + 30000 + 24000 + 18000 = 82500 per 1M tokens
        assertEquals("0.08250000", line.getString("provider_cost_usd"));
        assertEquals("0.08260000", line.getString("total_usd"));
        assertEquals(8_000, line.getLong("cache_write_5m_tokens"));
        assertEquals(4_000, line.getLong("cache_write_1h_tokens"));
        assertEquals("3.75", line.getString("cache_write_5m_usd_per_1m"));
        assertEquals("6.00", line.getString("cache_write_1h_usd_per_1m"));

        JsonPath oldLine = ApiCalls.awaitLine(account, old.requestId());
        // 600 x 3.00 + 400 x 0.30 + 100 x 15.00 = 1800 + 120 + 1500 = 3420 per 1M tokens, as before cache writes
        assertEquals("0.00342000", oldLine.getString("provider_cost_usd"));
        assertEquals("0.00352000", oldLine.getString("total_usd"));
        assertEquals(0, oldLine.getLong("cache_write_5m_tokens"));
        assertEquals(0, oldLine.getLong("cache_write_1h_tokens"));

        String member = ApiCalls.token(account);
        JsonPath usage = ApiCalls.getJson(member, "/api/billing/usage");
        assertTotals(usage, "");
        assertTotals(usage, "by_model[0].");
        assertEquals(MODEL, usage.getString("by_model[0].model"));

        // The open month's invoice sums the same ledger lines, in one line for the one model.
        YearMonth month = YearMonth.from(at.atOffset(ZoneOffset.UTC));
        JsonPath invoice = ApiCalls.getJson(member, "/api/billing/invoices/" + month);
        assertEquals("open", invoice.getString("status"));
        assertTotals(invoice, "");
        assertTotals(invoice, "lines[0].");
        assertEquals(1, invoice.getList("lines").size());
    }

    /** Both requests summed at {@code prefix}: their counts and the amounts worked out above. */
    private static void assertTotals(JsonPath json, String prefix) {
        Map<String, Object> expected = Map.of(
                "request_count", 2,
                "input_tokens", 21_000,
                "cached_tokens", 5_400,
                "cache_write_5m_tokens", 8_000,
                "cache_write_1h_tokens", 4_000,
                "output_tokens", 1_300,
                // 0.08250000 + 0.00342000 and two fees
                "provider_cost_usd", "0.08592000",
                "total_usd", "0.08612000");
        expected.forEach((field, value) -> assertEquals(value, json.get(prefix + field), prefix + field));
    }
}
