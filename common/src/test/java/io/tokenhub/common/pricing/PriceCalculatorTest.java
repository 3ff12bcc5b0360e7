package io.tokenhub.common.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The billing rule against the built-in catalog, every expected amount worked by hand in the comment above it from the
 * published rates (gpt-4o 2.50 / 1.25 cached / 10.00; gpt-4o-mini 0.15 / 0.075 / 0.60; o3 10 / 40 before 2025-06-10,
 * 2 / 8 from then; Codestral 0.30 / 0.90 without a cache price; Gemini 1.5 Pro 1.25 / 5.00, above 128k prompt tokens
 * 2.50 / 10.00; Gemini 1.5 Flash 0.075 / 0.01875 / 0.30, above 128k 0.15 / 0.0375 / 0.60; Claude 3.5 Sonnet 3 / 15),
 * never computed by the calculator. Here, in common, mutation testing sees the calculator's tests.
 */
class PriceCalculatorTest {

    static final Catalog CATALOG = CatalogLoader.load(Optional.empty());
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final PriceCalculator calculator = new PriceCalculator(CATALOG, RoutingFees.flat(new BigDecimal("0.0001")));

    private Charge charge(UsageEvent e) throws UnpriceableException {
        return calculator.charge(e);
    }

    @Test
    void inputIncludesCachedTokensWhichArePricedAtTheCachedRate() throws Exception {
        // gpt-4o: (1000 - 400) x 2.50 + 400 x 1.25 + 200 x 10.00 = 1500 + 500 + 2000 = 4000 per 1M -> 0.004
        Charge c = charge(usage("r1", "acme", "openai", "gpt-4o", 1000, 400, 200, NOW));
        assertEquals(new BigDecimal("0.00400000"), c.providerCostUsd());
        assertEquals(new BigDecimal("0.00010000"), c.routingFeeUsd());
        assertEquals(new BigDecimal("0.00410000"), c.totalUsd());
        assertTrue(c.answered());
        assertEquals(Instant.parse("2024-08-06T00:00:00Z"), c.priceEffectiveFrom());
    }

    @Test
    void cachedTokensFallBackToTheInputPriceWhenNoneIsPublished() throws Exception {
        // codestral-latest publishes no cached price: 1000 x 0.30 + 500 x 0.90 = 750 per 1M
        Charge c = charge(usage("r2", "acme", "mistral", "codestral-latest", 1000, 600, 500, NOW));
        assertEquals(new BigDecimal("0.00075000"), c.providerCostUsd());
        assertEquals(new BigDecimal("0.30"), c.rates().cachedInputPerMillion());
    }

    @Test
    void theWholeGeminiRequestIsBilledAtTheTierItsPromptLengthSelects() throws Exception {
        // exactly 128000 prompt tokens stays on the base rate: 128000 x 1.25 + 1000 x 5.00 = 165000 per 1M
        Charge atThreshold = charge(usage("g1", "acme", "google", "gemini-1.5-pro", 128_000, 0, 1000, NOW));
        assertEquals(new BigDecimal("0.16500000"), atThreshold.providerCostUsd());
        assertFalse(atThreshold.rates().tiered());
        // one token more moves every token to the long-prompt tier: 128001 x 2.50 + 1000 x 10.00
        Charge above = charge(usage("g2", "acme", "google", "gemini-1.5-pro", 128_001, 0, 1000, NOW));
        assertEquals(new BigDecimal("0.33000250"), above.providerCostUsd());
        assertEquals(128_000, above.rates().abovePromptTokens());
        // cached tokens count towards the prompt length and, in the tier, use the tier's cached rate:
        // flash: (200000 - 100000) x 0.15 + 100000 x 0.0375 + 10 x 0.60 = 15000 + 3750 + 6 = 18756 per 1M
        Charge flash = charge(usage("g3", "acme", "google", "gemini-1.5-flash", 200_000, 100_000, 10, NOW));
        assertEquals(new BigDecimal("0.01875600"), flash.providerCostUsd());
    }

    @Test
    void thePriceInForceWhenTheRequestRanApplies() throws Exception {
        Instant before = Instant.parse("2025-06-09T23:59:59.999999Z");
        Instant after = Instant.parse("2025-06-10T00:00:00Z");
        // 1000 in, 1000 out: before 10 + 40 = 50000 per 1M, after 2 + 8 = 10000 per 1M
        assertEquals(
                new BigDecimal("0.05000000"),
                charge(usage("o1", "a", "openai", "o3", 1000, 0, 1000, before)).providerCostUsd());
        assertEquals(
                new BigDecimal("0.01000000"),
                charge(usage("o2", "a", "openai", "o3", 1000, 0, 1000, after)).providerCostUsd());
    }

    @Test
    void eachLineIsRoundedOnceToEightDecimalsHalfEven() throws Exception {
        // gpt-4o-mini, 1 cached token: 0.075 per 1M = 0.000000075 exactly; half-even rounds the tie up to ...08
        assertEquals(
                new BigDecimal("0.00000008"),
                charge(usage("m1", "a", "openai", "gpt-4o-mini", 1, 1, 0, NOW)).providerCostUsd());
        // 3 cached tokens: 0.000000225 -> tie, rounds to the even ...22
        assertEquals(
                new BigDecimal("0.00000022"),
                charge(usage("m2", "a", "openai", "gpt-4o-mini", 3, 3, 0, NOW)).providerCostUsd());
        // 1 input token of gpt-4o-mini: 0.00000015 exactly, nothing to round
        assertEquals(
                new BigDecimal("0.00000015"),
                charge(usage("m3", "a", "openai", "gpt-4o-mini", 1, 0, 0, NOW)).providerCostUsd());
        // The parts are added exactly and the sum rounded once: 1 uncached (0.00000015) + 1 cached (0.000000075)
        // = 0.000000225 -> 0.00000022; rounding each part first would give 0.00000015 + 0.00000008 = 0.00000023.
        assertEquals(
                new BigDecimal("0.00000022"),
                charge(usage("m4", "a", "openai", "gpt-4o-mini", 2, 1, 0, NOW)).providerCostUsd());
        assertEquals(0, Money.round(new BigDecimal("0.000000125")).compareTo(new BigDecimal("0.00000012")));
        assertEquals(0, Money.round(new BigDecimal("0.000000135")).compareTo(new BigDecimal("0.00000014")));
    }

    @Test
    void aFailureWithoutTokensCostsNothingAndNeedsNoPrice() throws Exception {
        Charge c = charge(usage("f1", "a", "k", "openai", "no-such-model", 0, 0, 0, RequestStatus.PROVIDER_ERROR, NOW));
        assertEquals(Money.ZERO, c.totalUsd());
        assertNull(c.rates());
        assertFalse(c.answered());
    }

    @Test
    void tokensTheProviderBilledAreChargedWhateverTheOutcomeButTheFeeOnlyWhenAnswered() throws Exception {
        // a stream the provider cut midway: tokens billed, no routing fee
        Charge cut = charge(usage(
                "s1", "a", "k", "anthropic", "claude-3-5-sonnet", 1000, 0, 100, RequestStatus.PROVIDER_ERROR, NOW));
        assertEquals(new BigDecimal("0.00450000"), cut.providerCostUsd());
        assertEquals(Money.ZERO, cut.routingFeeUsd());
        // the client cancelled after the answer started: tokens and the fee
        Charge cancelled = charge(
                usage("s2", "a", "k", "anthropic", "claude-3-5-sonnet", 1000, 0, 100, RequestStatus.CANCELLED, NOW));
        assertEquals(new BigDecimal("0.00460000"), cancelled.totalUsd());
        // cancelled before any output: prompt tokens the provider reported, no fee
        Charge early = charge(
                usage("s3", "a", "k", "anthropic", "claude-3-5-sonnet", 1000, 0, 0, RequestStatus.CANCELLED, NOW));
        assertEquals(new BigDecimal("0.00300000"), early.totalUsd());
        // refused for what the client sent, with prompt tokens billed by the provider: tokens, no fee
        Charge refused = charge(usage("s4", "a", "k", "openai", "gpt-4o", 1000, 0, 0, RequestStatus.CLIENT_ERROR, NOW));
        assertEquals(new BigDecimal("0.00250000"), refused.totalUsd());
    }

    @Test
    void aFallbackIsBilledForTheProviderThatAnswered() throws Exception {
        UsageEvent fellBack = new UsageEvent(
                1,
                "fb",
                "a",
                "k",
                "gpt-4o",
                "claude-3-5-sonnet",
                "anthropic",
                "claude-3-5-sonnet-20241022",
                1000,
                100,
                0,
                900,
                null,
                RequestStatus.SUCCEEDED,
                200,
                1,
                false,
                NOW,
                null,
                null,
                Api.CHAT_COMPLETIONS,
                UsageSource.REPORTED,
                0,
                0);
        Charge c = charge(fellBack);
        assertEquals(new BigDecimal("0.00460000"), c.totalUsd());
    }

    @Test
    void unpriceableEventsAreRefusedWithAReason() {
        assertEquals(
                UnpriceableException.Reason.UNKNOWN_MODEL,
                assertThrows(
                                UnpriceableException.class,
                                () -> charge(usage("u1", "a", "openai", "gpt-99", 10, 0, 10, NOW)))
                        .reason());
        assertEquals(
                UnpriceableException.Reason.UNKNOWN_MODEL,
                assertThrows(UnpriceableException.class, () -> charge(usage("u2", "a", "openai", null, 10, 0, 10, NOW)))
                        .reason());
        assertEquals(
                UnpriceableException.Reason.PROVIDER_MISMATCH,
                assertThrows(
                                UnpriceableException.class,
                                () -> charge(usage("u3", "a", "google", "gpt-4o", 10, 0, 10, NOW)))
                        .reason());
        assertEquals(
                UnpriceableException.Reason.NO_PRICE_IN_FORCE,
                assertThrows(
                                UnpriceableException.class,
                                () -> charge(usage(
                                        "u5",
                                        "a",
                                        "openai",
                                        "gpt-4o",
                                        10,
                                        0,
                                        10,
                                        Instant.parse("2020-01-01T00:00:00Z"))))
                        .reason());
    }

    /** A successful, non-streamed request of {@code model} from {@code provider}. */
    static UsageEvent usage(
            String requestId,
            String account,
            String provider,
            String model,
            long input,
            long cached,
            long output,
            Instant at) {
        return usage(requestId, account, "key-1", provider, model, input, cached, output, RequestStatus.SUCCEEDED, at);
    }

    static UsageEvent usage(
            String requestId,
            String account,
            String keyId,
            String provider,
            String model,
            long input,
            long cached,
            long output,
            RequestStatus status,
            Instant at) {
        return usage(requestId, account, keyId, provider, model, input, cached, 0, 0, output, status, at);
    }

    /** A request whose prompt also wrote {@code write5m} and {@code write1h} tokens to the provider's cache. */
    static UsageEvent usage(
            String requestId,
            String account,
            String keyId,
            String provider,
            String model,
            long input,
            long cached,
            long write5m,
            long write1h,
            long output,
            RequestStatus status,
            Instant at) {
        return new UsageEvent(
                UsageEvent.CURRENT_VERSION,
                requestId,
                account,
                keyId,
                model,
                model,
                provider,
                model,
                input,
                output,
                cached,
                120,
                null,
                status,
                status == RequestStatus.SUCCEEDED ? 200 : 502,
                0,
                false,
                at,
                null,
                null,
                Api.CHAT_COMPLETIONS,
                UsageSource.REPORTED,
                write5m,
                write1h);
    }
}
