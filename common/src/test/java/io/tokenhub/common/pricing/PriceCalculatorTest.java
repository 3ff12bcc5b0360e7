package io.tokenhub.common.pricing;

import static io.tokenhub.common.pricing.CacheWritePricingTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The billing rule's branches that cost money when wrong: which requests pay the routing fee, what is free, what
 * cannot be priced, where a long-prompt tier starts and how amounts round. Expected amounts are worked by hand from the
 * published rates in the comments (OpenAI: gpt-4o 2.50 / 10.00 per MTok; Google: Gemini 2.5 Pro 1.25 / 10.00 up to
 * 200k prompt tokens, 2.50 / 15.00 above), never computed by the calculator.
 */
class PriceCalculatorTest {

    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());
    private static final Instant RAN = Instant.parse("2026-01-15T12:00:00Z");
    private static final BigDecimal FEE = new BigDecimal("0.0001");

    private final PriceCalculator calculator = new PriceCalculator(CATALOG, RoutingFees.flat(FEE));

    @Test
    void theFeeIsForAnsweredRequestsOnlyAndTokensAreBilledWhateverTheOutcome() throws Exception {
        UsageEvent base = event("gpt-4o", 1_000, 0, 0, 0, 100, RAN);
        // 1000 x 2.50 + 100 x 10.00 = 3500 / 1M
        BigDecimal tokens = new BigDecimal("0.00350000");
        Charge succeeded = calculator.charge(base);
        assertTrue(succeeded.answered());
        assertEquals(tokens, succeeded.providerCostUsd());
        assertEquals(new BigDecimal("0.00010000"), succeeded.routingFeeUsd());
        assertEquals(new BigDecimal("0.00360000"), succeeded.totalUsd());

        // Cancelled after the answer began: routed and delivered in part, so the fee is due.
        Charge cancelledLate = calculator.charge(with(base, RequestStatus.CANCELLED, 1_000, 100));
        assertTrue(cancelledLate.answered());
        assertEquals(new BigDecimal("0.00360000"), cancelledLate.totalUsd());

        // Cancelled before any output, a provider error, a refused request: the tokens the provider billed, no fee.
        for (RequestStatus status :
                new RequestStatus[] {RequestStatus.CANCELLED, RequestStatus.PROVIDER_ERROR, RequestStatus.CLIENT_ERROR
                }) {
            Charge c = calculator.charge(with(base, status, 1_000, status == RequestStatus.CANCELLED ? 0 : 100));
            assertFalse(c.answered(), status.name());
            assertEquals(0, c.routingFeeUsd().signum(), status.name());
        }
        // 1000 x 2.50 = 2500 / 1M
        assertEquals(
                new BigDecimal("0.00250000"),
                calculator.charge(with(base, RequestStatus.CANCELLED, 1_000, 0)).totalUsd());
        assertEquals(
                tokens,
                calculator
                        .charge(with(base, RequestStatus.PROVIDER_ERROR, 1_000, 100))
                        .totalUsd());
    }

    @Test
    void aRequestThatUsedNothingAndWasNotAnsweredIsFreeEvenForAnUnknownModel() throws Exception {
        UsageEvent failed = with(event("gpt-4o", 0, 0, 0, 0, 0, RAN), RequestStatus.PROVIDER_ERROR, 0, 0);
        Charge free = calculator.charge(rename(failed, "no-such-model", "openai"));
        assertFalse(free.answered());
        assertEquals(0, free.totalUsd().signum());
        // Output alone is enough to be billed.
        UsageEvent outputOnly = with(event("gpt-4o", 0, 0, 0, 0, 0, RAN), RequestStatus.PROVIDER_ERROR, 0, 10);
        // 10 x 10.00 = 100 / 1M
        assertEquals(new BigDecimal("0.00010000"), calculator.charge(outputOnly).totalUsd());
    }

    @Test
    void whatCannotBePricedSaysWhy() {
        UsageEvent base = event("gpt-4o", 1_000, 0, 0, 0, 100, RAN);
        assertEquals(
                UnpriceableException.Reason.UNKNOWN_MODEL,
                assertThrows(UnpriceableException.class, () -> calculator.charge(rename(base, "gpt-9", "openai")))
                        .reason());
        assertEquals(
                UnpriceableException.Reason.UNKNOWN_MODEL,
                assertThrows(UnpriceableException.class, () -> calculator.charge(rename(base, null, "openai")))
                        .reason());
        assertEquals(
                UnpriceableException.Reason.PROVIDER_MISMATCH,
                assertThrows(UnpriceableException.class, () -> calculator.charge(rename(base, "gpt-4o", "mistral")))
                        .reason());
        // gpt-4o's first price is in force from 2024-08-06.
        UsageEvent tooEarly = event("gpt-4o", 1_000, 0, 0, 0, 100, Instant.parse("2024-08-05T23:59:59Z"));
        assertEquals(
                UnpriceableException.Reason.NO_PRICE_IN_FORCE,
                assertThrows(UnpriceableException.class, () -> calculator.charge(tooEarly))
                        .reason());
    }

    @Test
    void theLongPromptTierStartsAboveItsThreshold() throws Exception {
        // 200000 prompt tokens is still the base rate: 200000 x 1.25 + 1000 x 10.00 = 260000 / 1M
        Charge atThreshold = calculator.charge(event("gemini-2.5-pro", 200_000, 0, 0, 0, 1_000, RAN));
        assertEquals(new BigDecimal("0.26000000"), atThreshold.providerCostUsd());
        // One more token bills the whole request at the tier: 200001 x 2.50 + 1000 x 15.00 = 515002.5 / 1M
        Charge above = calculator.charge(event("gemini-2.5-pro", 200_001, 0, 0, 0, 1_000, RAN));
        assertEquals(new BigDecimal("0.51500250"), above.providerCostUsd());
        assertEquals(200_000, above.rates().abovePromptTokens());
    }

    @Test
    void amountsRoundToEightDecimalsHalfToEven() throws Exception {
        // gpt-4o-mini input 0.15 per MTok: 1 token = 0.00000015; 3 tokens with output 0.60: 3 x 0.15 + 1 x 0.60
        // = 1.05 / 1M = 0.00000105 exactly; 1 cached token at 0.075 = 0.000000075, half way: to even, 0.00000008
        Charge exact = calculator.charge(event("gpt-4o-mini", 3, 0, 0, 0, 1, RAN));
        assertEquals(new BigDecimal("0.00000105"), exact.providerCostUsd());
        Charge half = calculator.charge(event("gpt-4o-mini", 1, 1, 0, 0, 0, RAN));
        assertEquals(new BigDecimal("0.00000008"), half.providerCostUsd());
        // 3 cached tokens: 0.000000225, half way: to even, 0.00000022
        Charge halfDown = calculator.charge(event("gpt-4o-mini", 3, 3, 0, 0, 0, RAN));
        assertEquals(new BigDecimal("0.00000022"), halfDown.providerCostUsd());
    }

    /** {@code event} with another outcome and token counts. */
    private static UsageEvent with(UsageEvent e, RequestStatus status, long input, long output) {
        return new UsageEvent(
                e.eventVersion(),
                e.requestId(),
                e.accountId(),
                e.keyId(),
                e.requestedModel(),
                e.model(),
                e.provider(),
                e.providerModel(),
                input,
                output,
                e.cachedTokens(),
                e.latencyMs(),
                e.timeToFirstTokenMs(),
                status,
                status == RequestStatus.SUCCEEDED ? 200 : 502,
                e.fallbackAttempts(),
                e.streamed(),
                e.occurredAt(),
                e.clientRequestId(),
                e.keyName(),
                e.api(),
                e.usageSource(),
                e.cacheWrite5mTokens(),
                e.cacheWrite1hTokens());
    }

    /** {@code event} for another model and provider, as a broken or older producer might send it. */
    private static UsageEvent rename(UsageEvent e, String model, String provider) {
        return new UsageEvent(
                e.eventVersion(),
                e.requestId(),
                e.accountId(),
                e.keyId(),
                e.requestedModel(),
                model,
                provider,
                e.providerModel(),
                e.inputTokens(),
                e.outputTokens(),
                e.cachedTokens(),
                e.latencyMs(),
                e.timeToFirstTokenMs(),
                e.status(),
                e.httpStatus(),
                e.fallbackAttempts(),
                e.streamed(),
                e.occurredAt(),
                e.clientRequestId(),
                e.keyName(),
                e.api(),
                e.usageSource(),
                e.cacheWrite5mTokens(),
                e.cacheWrite1hTokens());
    }
}
