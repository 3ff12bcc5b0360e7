package io.tokenhub.billing.pricing;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** Where the price catalog comes from, under {@code tokenhub.catalog}. */
@ConfigMapping(prefix = "tokenhub.catalog")
public interface CatalogConfig {

    /** Catalog YAML replacing the built-in one (a mounted ConfigMap in Kubernetes). */
    Optional<Path> path();
}
