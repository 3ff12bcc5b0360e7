package io.tokenhub.billing.pricing;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.tokenhub.billing.BillingConfig;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.common.pricing.RoutingFees;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Loads the catalog once at start (a file that does not validate stops the service rather than misbill) and makes
 * the shared {@link PriceCalculator} from it and the configured routing fees.
 */
public class CatalogProducer {

    @Produces
    @Singleton
    @Startup
    PriceCalculator calculator(Catalog catalog, BillingConfig config) {
        return new PriceCalculator(catalog, new RoutingFees(config.routingFeeUsd(), config.routingFees()));
    }

    @Produces
    @Singleton
    @Startup
    Catalog catalog(CatalogConfig config) {
        Catalog catalog = CatalogLoader.load(config.path());
        Log.infof(
                "Price catalog loaded from %s: %d models",
                config.path().map(Object::toString).orElse("built-in"),
                catalog.models().size());
        return catalog;
    }
}
