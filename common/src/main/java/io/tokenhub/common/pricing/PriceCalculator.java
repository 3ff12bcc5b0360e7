package io.tokenhub.common.pricing;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Price;
import io.tokenhub.common.events.UsageEvent;
import java.math.BigDecimal;

/**
 * Prices usage events, following the billing rules in README.md:
 * <ul>
 * <li>provider cost = (input - cached - cache writes) x input rate + cached x cached rate + 5-minute cache writes x
 * 5-minute write rate + 1-hour cache writes x 1-hour write rate + output x output rate, per 1M tokens, at the catalog
 * price in force when the request ran; input tokens include cached ones and cache writes (OpenAI semantics), and a
 * rate the provider does not publish is its input rate;</li>
 * <li>a tiered price (Gemini 1.5 above 128k prompt tokens) bills the whole request at the tier its prompt length
 * selects;</li>
 * <li>tokens are billed whatever the outcome, because the provider bills them: a failed request with no tokens costs
 * nothing, a stream cut or cancelled midway costs the tokens reported;</li>
 * <li>the routing fee in force when the request ran ({@link RoutingFees}) is charged once per answered request: one
 * that succeeded, or one the client cancelled after the answer had started.</li>
 * </ul>
 * A fallback is one event for the provider that answered, so it is billed once, for that provider.
 *
 * <p>The one pricing code: billing-service prices ledger lines with it and routing-service the {@code usage.cost} it
 * shows the caller, so the two can only differ if their catalog or fee configuration does.
 */
public class PriceCalculator {

    private static final int PER_MILLION = 6;

    private final Catalog catalog;
    private final RoutingFees routingFees;

    public PriceCalculator(Catalog catalog, RoutingFees routingFees) {
        this.catalog = catalog;
        this.routingFees = routingFees;
    }

    public RoutingFees routingFees() {
        return routingFees;
    }

    public Catalog catalog() {
        return catalog;
    }

    /**
     * The charge for {@code event}, which must already be valid (non-negative counts, cached tokens and cache writes
     * together within input).
     */
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
        BigDecimal providerCost = Money.round(providerCostExact(rates, event));
        BigDecimal fee = answered ? routingFees.at(event.occurredAt()) : Money.ZERO;
        return new Charge(answered, price.effectiveFrom(), rates, providerCost, fee, providerCost.add(fee));
    }

    /** The unrounded provider cost in US dollars. */
    private static BigDecimal providerCostExact(Price.Rates rates, UsageEvent e) {
        long plainInput = e.inputTokens() - e.cachedTokens() - e.cacheWriteTokens();
        BigDecimal perMillion = rates.inputPerMillion()
                .multiply(BigDecimal.valueOf(plainInput))
                .add(rates.cachedInputPerMillion().multiply(BigDecimal.valueOf(e.cachedTokens())))
                .add(rates.cacheWrite5mPerMillion().multiply(BigDecimal.valueOf(e.cacheWrite5mTokens())))
                .add(rates.cacheWrite1hPerMillion().multiply(BigDecimal.valueOf(e.cacheWrite1hTokens())))
                .add(rates.outputPerMillion().multiply(BigDecimal.valueOf(e.outputTokens())));
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
