package io.tokenhub.routing.catalog;

import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.routing.config.RoutingConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Loads the catalog once at start; a broken operator file stops the service instead of routing on guesses. */
public class CatalogProducer {

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
