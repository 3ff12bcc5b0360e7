package io.tokenhub.routing.strategy;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.openai.RoutingPreferences;
import io.tokenhub.routing.settings.RoutingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The models to try for a request, in order. A pinned name, or an account with fallback off, gets exactly the named
 * model. A plain name gets its equivalence group, less its retired members: with the default strategy the named model
 * first, then the account's preferred backup providers, then the group's order with the named model's own provider
 * last; with the latency strategy the fastest first by observed time to
 * first token, unmeasured ones before measured ones, and one request in twenty led by a random other member so a
 * provider that got faster is noticed.
 *
 * <p>A request's own routing fields ({@link RoutingPreferences}, OpenRouter's) win over the account's settings: the
 * models it lists follow its {@code model}, each expanded the same way; then {@code only} and {@code ignore} filter,
 * {@code order} moves its providers first ({@code allow_fallbacks: false} keeps only them, or only the named models
 * without their groups), and {@code sort} orders everything by price, latency or throughput.
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
        return expanded(ref, settings, settings.fallback());
    }

    /**
     * The candidates for a request with routing fields; {@code listed} are the resolved entries of its {@code models}.
     * Empty when the fields exclude every candidate.
     */
    public List<CatalogModel> candidates(
            ModelRef ref, List<ModelRef> listed, RoutingSettings settings, RoutingPreferences preferences) {
        // An order names providers of the group, so the group is needed to find them even without fallbacks.
        boolean groups =
                !preferences.order().isEmpty() || preferences.allowFallbacks().orElse(settings.fallback());
        List<CatalogModel> out = new ArrayList<>();
        for (ModelRef entry : concat(ref, listed)) {
            expanded(entry, settings, groups).stream()
                    .filter(m -> !out.contains(m))
                    .forEach(out::add);
        }
        out.removeIf(m -> !preferences.only().isEmpty() && !preferences.only().contains(m.provider())
                || preferences.ignore().contains(m.provider()));
        List<Provider> order = preferences.order();
        if (!order.isEmpty()) {
            // Stable: the ordered providers first, by their place in the order; the rest keep theirs.
            out.sort(Comparator.comparingInt(
                    m -> order.contains(m.provider()) ? order.indexOf(m.provider()) : order.size()));
            if (!preferences.allowFallbacks().orElse(true)) {
                out.removeIf(m -> !order.contains(m.provider()));
            }
        }
        preferences
                .sort()
                .ifPresent(sort -> out.sort(
                        switch (sort) {
                            case PRICE -> Comparator.comparing(CandidateSelector::pricePerMillion);
                            // Unmeasured ones (negative figures) last: a sort asks for what is known to be fast.
                            case LATENCY ->
                                Comparator.comparingDouble(m -> {
                                    double millis = latency.estimate(m);
                                    return millis < 0 ? Double.MAX_VALUE : millis;
                                });
                            case THROUGHPUT ->
                                Comparator.comparingDouble(m -> {
                                    double tokensPerSecond = latency.throughput(m);
                                    return tokensPerSecond < 0 ? Double.MAX_VALUE : -tokensPerSecond;
                                });
                        }));
        return out;
    }

    private static List<ModelRef> concat(ModelRef first, List<ModelRef> rest) {
        List<ModelRef> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** Input plus output price per million tokens in force now; unpriced models sort last. */
    private static BigDecimal pricePerMillion(CatalogModel model) {
        return model.priceAt(Instant.now())
                .map(p -> p.inputPerMillion().add(p.outputPerMillion()))
                .orElse(BigDecimal.valueOf(Long.MAX_VALUE));
    }

    private List<CatalogModel> expanded(ModelRef ref, RoutingSettings settings, boolean groups) {
        CatalogModel named = ref.model();
        if (ref.pinned() || !groups) {
            return List.of(named);
        }
        Instant now = Instant.now();
        List<CatalogModel> group = catalog.groupOf(named.id())
                .map(g -> g.members().stream()
                        .map(id -> catalog.byId(id).orElseThrow())
                        .filter(m -> m == named || !m.retiredAt(now))
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
        // The named model's provider last: what made it fail most likely fails its other models too.
        group.stream()
                .filter(m -> m.provider() != named.provider() && !out.contains(m))
                .forEach(out::add);
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
