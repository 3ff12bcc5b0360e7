package io.tokenhub.common.pricing;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Price;
import io.tokenhub.common.events.UsageEvent;
import java.math.BigDecimal;

/**
 * Prices usage events, following the billing rules in README.md:
 * <ul>
 * <li>provider cost = (input - cached) x input rate + cached x cached rate + output x output rate, per 1M tokens,
 * at the catalog price in force when the request ran; input tokens include cached ones (OpenAI semantics);</li>
 * <li>a tiered price (Gemini 1.5 above 128k prompt tokens) bills the whole request at the tier its prompt length
 * selects;</li>
 * <li>tokens are billed whatever the outcome, because the provider bills them: a failed request with no tokens costs
 * nothing, a stream cut or cancelled midway costs the tokens reported;</li>
 * <li>the routing fee is charged once per answered request: one that succeeded, or one the client cancelled after
 * the answer had started.</li>
 * </ul>
 * A fallback is one event for the provider that answered, so it is billed once, for that provider.
 *
 * <p>The one pricing code: billing-service prices ledger lines with it and routing-service the {@code usage.cost} it
 * shows the caller, so the two can only differ if their catalog or fee configuration does.
 */
public class PriceCalculator {

    private static final int PER_MILLION = 6;

    private final Catalog catalog;
    private final BigDecimal routingFee;

    public PriceCalculator(Catalog catalog, BigDecimal routingFee) {
        this.catalog = catalog;
        this.routingFee = Money.exact(routingFee, "tokenhub.billing.routing-fee-usd");
    }

    public BigDecimal routingFee() {
        return routingFee;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The charge for {@code event}, which must already be valid (non-negative counts, cached within input). */
    public Charge charge(UsageEvent event) throws UnpriceableException {
        boolean answered = answered(event);
        boolean usedTokens = event.inputTokens() > 0 || event.outputTokens() > 0;
        if (!answered && !usedTokens) {
            return Charge.free();
        }
        CatalogModel model = catalog.byId(event.model() == null ? "" : event.model())
                .orElseThrow(() -> new UnpriceableException(
                        UnpriceableException.Reason.UNKNOWN_MODEL,
                        "model '" + event.model() + "' is not in the catalog"));
        if (!model.provider().wireName().equals(event.provider())) {
            throw new UnpriceableException(
                    UnpriceableException.Reason.PROVIDER_MISMATCH,
                    "model '" + model.id() + "' is served by "
                            + model.provider().wireName() + ", not by '" + event.provider() + "'");
        }
        Price price = model.priceAt(event.occurredAt())
                .orElseThrow(() -> new UnpriceableException(
                        UnpriceableException.Reason.NO_PRICE_IN_FORCE,
                        "model '" + model.id() + "' has no price in force at " + event.occurredAt()));
        Price.Rates rates = price.ratesFor(event.inputTokens());
        BigDecimal providerCost =
                Money.round(providerCostExact(rates, event.inputTokens(), event.cachedTokens(), event.outputTokens()));
        BigDecimal fee = answered ? routingFee : Money.ZERO;
        return new Charge(answered, price.effectiveFrom(), rates, providerCost, fee, providerCost.add(fee));
    }

    /** The unrounded provider cost in US dollars. */
    private static BigDecimal providerCostExact(
            Price.Rates rates, long inputTokens, long cachedTokens, long outputTokens) {
        BigDecimal perMillion = rates.inputPerMillion()
                .multiply(BigDecimal.valueOf(inputTokens - cachedTokens))
                .add(rates.cachedInputPerMillion().multiply(BigDecimal.valueOf(cachedTokens)))
                .add(rates.outputPerMillion().multiply(BigDecimal.valueOf(outputTokens)));
        return perMillion.movePointLeft(PER_MILLION);
    }

    /** Whether a provider answered, which is what the routing fee pays for. */
    private static boolean answered(UsageEvent event) {
        return switch (event.status()) {
            case SUCCEEDED -> true;
            // The answer had started when the client went away: it was routed and delivered in part.
            case CANCELLED -> event.outputTokens() > 0;
            case CLIENT_ERROR, PROVIDER_ERROR -> false;
        };
    }
}
