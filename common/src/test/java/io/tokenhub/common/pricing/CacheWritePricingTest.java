package io.tokenhub.common.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.Price;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Prompt-cache writes priced at their own published rates, against the built-in catalog. Every expected amount is
 * worked out by hand in the comment above it from Anthropic's pricing page
 * (https://platform.claude.com/docs/en/about-claude/pricing: Claude Sonnet 4.5 base input 3, 5m cache writes 3.75,
 * 1h cache writes 6, cache hits 0.30, output 15; above 200k prompt tokens 6 / 7.50 / 12 / 0.60 / 22.50 per MTok).
 */
class CacheWritePricingTest {

    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());
    private static final Instant RAN = Instant.parse("2026-01-15T12:00:00Z");
    private static final BigDecimal FEE = new BigDecimal("0.0001");

    private final PriceCalculator calculator = new PriceCalculator(CATALOG, RoutingFees.flat(FEE));

    @Test
    void eachKindOfInputIsBilledAtItsOwnRate() throws Exception {
        // 10000 prompt tokens: 2000 read, 3000 written for 5m, 1000 for 1h, 4000 plain; 500 out.
        // 4000 x 3 + 2000 x 0.30 + 3000 x 3.75 + 1000 x 6 + 500 x 15 = 12000 + 600 + 11250 + 6000 + 7500 = 37350 / 1M
        Charge c = calculator.charge(event("claude-sonnet-4-5", 10_000, 2_000, 3_000, 1_000, 500, RAN));
        assertEquals(new BigDecimal("0.03735000"), c.providerCostUsd());
        assertEquals(new BigDecimal("0.03745000"), c.totalUsd());
        assertEquals(new BigDecimal("3.75"), c.rates().cacheWrite5mPerMillion());
        assertEquals(new BigDecimal("6.00"), c.rates().cacheWrite1hPerMillion());
    }

    @Test
    void aLongPromptBillsItsCacheWritesAtTheTiersRates() throws Exception {
        // 300000 prompt tokens (above 200k): 100000 plain x 6 + 100000 5m writes x 7.50 + 100000 1h writes x 12
        // = 600000 + 750000 + 1200000 = 2550000 / 1M
        Charge c = calculator.charge(event("claude-sonnet-4-5", 300_000, 0, 100_000, 100_000, 0, RAN));
        assertEquals(new BigDecimal("2.55000000"), c.providerCostUsd());
        assertEquals(200_000, c.rates().abovePromptTokens());
    }

    @Test
    void aFiveMinuteAndAOneHourWriteCostDifferently() throws Exception {
        // Claude Haiku 4.5: 1000 tokens written for 5m x 1.25 = 1250 / 1M; for 1h x 2 = 2000 / 1M
        Charge fiveMinutes = calculator.charge(event("claude-haiku-4-5", 1_000, 0, 1_000, 0, 0, RAN));
        Charge oneHour = calculator.charge(event("claude-haiku-4-5", 1_000, 0, 0, 1_000, 0, RAN));
        assertEquals(new BigDecimal("0.00125000"), fiveMinutes.providerCostUsd());
        assertEquals(new BigDecimal("0.00200000"), oneHour.providerCostUsd());
    }

    @Test
    void writesToAProviderWithoutAWriteRateAreBilledAsInput() throws Exception {
        // gpt-4o publishes no cache-write rate: 1000 prompt tokens, 200 of them written, all at 2.50 = 2500 / 1M
        Charge c = calculator.charge(event("gpt-4o", 1_000, 0, 200, 0, 0, RAN));
        assertEquals(new BigDecimal("0.00250000"), c.providerCostUsd());
        assertEquals(new BigDecimal("2.50"), c.rates().cacheWrite5mPerMillion());
        assertEquals(new BigDecimal("2.50"), c.rates().cacheWrite1hPerMillion());
    }

    @Test
    void anEventWithoutWritesCostsWhatItDidBefore() throws Exception {
        // Claude Sonnet 4.5, 1000 in (400 read), 100 out: 600 x 3 + 400 x 0.30 + 100 x 15 = 1800 + 120 + 1500 / 1M
        Charge c = calculator.charge(event("claude-sonnet-4-5", 1_000, 400, 0, 0, 100, RAN));
        assertEquals(new BigDecimal("0.00342000"), c.providerCostUsd());
    }

    @Test
    void theFeeInForceWhenTheRequestRanIsCharged() throws Exception {
        Instant change = Instant.parse("2027-01-01T00:00:00Z");
        PriceCalculator dated =
                new PriceCalculator(CATALOG, new RoutingFees(FEE, List.of(new Fee(change, new BigDecimal("0.0002")))));
        UsageEvent before = event("gpt-4o", 1_000, 0, 0, 0, 0, change.minusNanos(1000));
        UsageEvent at = event("gpt-4o", 1_000, 0, 0, 0, 0, change);
        assertEquals(new BigDecimal("0.00010000"), dated.charge(before).routingFeeUsd());
        assertEquals(new BigDecimal("0.00020000"), dated.charge(at).routingFeeUsd());
        // 1000 x 2.50 = 2500 / 1M plus the fee of 2027
        assertEquals(new BigDecimal("0.00270000"), dated.charge(at).totalUsd());
    }

    @Test
    void negativeRatesAndAFreeTierAreRefused() {
        BigDecimal one = BigDecimal.ONE;
        BigDecimal minus = new BigDecimal("-1");
        // A rate below zero would pay the customer for tokens; a tier at 0 tokens would replace the base rate.
        assertThrows(IllegalArgumentException.class, () -> new Price(Instant.EPOCH, minus, one, one, "s"));
        assertThrows(IllegalArgumentException.class, () -> new Price(Instant.EPOCH, one, minus, one, "s"));
        assertThrows(IllegalArgumentException.class, () -> new Price(Instant.EPOCH, one, one, minus, "s"));
        assertThrows(IllegalArgumentException.class, () -> new Price.Tier(0, one, one, one, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Price.Tier(10, minus, one, one, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Price.Tier(10, one, minus, one, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Price.Tier(10, one, one, minus, null, null));
        assertEquals(1, new Price.Tier(1, one, one, null, null, null).abovePromptTokens());
    }

    @Test
    void negativeCacheWriteRatesAreRefused() {
        BigDecimal one = BigDecimal.ONE;
        BigDecimal minus = new BigDecimal("-1");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Price(Instant.EPOCH, one, one, one, minus, null, "s", List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Price(Instant.EPOCH, one, one, one, null, minus, "s", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Price.Tier(10, one, one, one, minus, null));
        assertThrows(IllegalArgumentException.class, () -> new Price.Tier(10, one, one, one, null, minus));
    }

    /** A fee as the services' configuration gives it. */
    record Fee(Instant effectiveFrom, BigDecimal usd) implements RoutingFees.Dated {}

    static UsageEvent event(
            String model, long input, long cached, long write5m, long write1h, long output, Instant at) {
        String provider = CATALOG.byId(model).orElseThrow().provider().wireName();
        return PriceCalculatorTest.usage(
                "req-1",
                "acct",
                "key",
                provider,
                model,
                input,
                cached,
                write5m,
                write1h,
                output,
                RequestStatus.SUCCEEDED,
                at);
    }
}
