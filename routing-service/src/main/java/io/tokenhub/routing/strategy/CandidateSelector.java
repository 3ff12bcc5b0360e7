package io.tokenhub.routing.strategy;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.settings.RoutingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The models to try for a request, in order. A pinned name, or an account with fallback off, gets exactly the named
 * model. A plain name gets its equivalence group: with the default strategy the named model first, then the account's
 * preferred backup providers, then the group's order; with the latency strategy the fastest first by observed time to
 * first token, unmeasured ones before measured ones, and one request in twenty led by a random other member so a
 * provider that got faster is noticed.
 */
@ApplicationScoped
public class CandidateSelector {

    /** Share of latency-routed requests that explore instead of taking the fastest. */
    static final double EXPLORATION = 0.05;

    private final Catalog catalog;
    private final LatencyTracker latency;
    private final DoubleSupplier random;

    @Inject
    public CandidateSelector(Catalog catalog, LatencyTracker latency) {
        this(catalog, latency, () -> ThreadLocalRandom.current().nextDouble());
    }

    CandidateSelector(Catalog catalog, LatencyTracker latency, DoubleSupplier random) {
        this.catalog = catalog;
        this.latency = latency;
        this.random = random;
    }

    public List<CatalogModel> candidates(ModelRef ref, RoutingSettings settings) {
        CatalogModel named = ref.model();
        if (ref.pinned() || !settings.fallback()) {
            return List.of(named);
        }
        List<CatalogModel> group = catalog.groupOf(named.id())
                .map(g -> g.members().stream()
                        .map(id -> catalog.byId(id).orElseThrow())
                        .toList())
                .orElse(List.of(named));
        return switch (settings.strategy()) {
            case DEFAULT -> defaultOrder(named, group, settings.preferredBackupProviders());
            case LATENCY -> latencyOrder(group);
        };
    }

    private static List<CatalogModel> defaultOrder(
            CatalogModel named, List<CatalogModel> group, List<Provider> preferred) {
        List<CatalogModel> out = new ArrayList<>(group.size());
        out.add(named);
        for (Provider p : preferred) {
            group.stream().filter(m -> m.provider() == p && !out.contains(m)).forEach(out::add);
        }
        group.stream().filter(m -> !out.contains(m)).forEach(out::add);
        return out;
    }

    private List<CatalogModel> latencyOrder(List<CatalogModel> group) {
        List<CatalogModel> out = new ArrayList<>(group);
        // Stable sort: unmeasured first (they must be measured), then fastest; ties keep the group's order.
        out.sort(Comparator.comparingDouble(m -> {
            double estimate = latency.estimate(m);
            return estimate < 0 ? -1 : estimate;
        }));
        if (out.size() > 1 && random.getAsDouble() < EXPLORATION) {
            int pick = 1 + (int) (random.getAsDouble() * (out.size() - 1));
            out.add(0, out.remove(Math.min(pick, out.size() - 1)));
        }
        return out;
    }
}
