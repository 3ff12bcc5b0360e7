package io.tokenhub.routing.catalog;

import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.common.pricing.RoutingFees;
import io.tokenhub.routing.config.RoutingConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Loads the catalog once at start (a broken operator file stops the service instead of routing on guesses) and makes
 * common's {@link PriceCalculator} from it, the one billing-service uses, for the cost shown to the caller.
 */
public class CatalogProducer {

    @Produces
    @Singleton
    PriceCalculator calculator(Catalog catalog, RoutingConfig config) {
        return new PriceCalculator(
                catalog,
                new RoutingFees(
                        config.billing().routingFeeUsd(), config.billing().routingFees()));
    }

    @Produces
    @Singleton
    Catalog catalog(RoutingConfig config) {
        Catalog catalog = CatalogLoader.load(config.catalog().path().map(Path::of));
        Log.infof(
                "catalog loaded from %s: %d models",
                config.catalog().path().orElse("the built-in file"),
                catalog.models().size());
        return catalog;
    }
}
