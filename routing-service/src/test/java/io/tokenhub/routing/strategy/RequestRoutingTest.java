package io.tokenhub.routing.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.EquivalenceGroup;
import io.tokenhub.common.catalog.Lifecycle;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.common.catalog.Price;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.openai.RoutingPreferences;
import io.tokenhub.routing.settings.RoutingSettings;
import io.tokenhub.routing.settings.Strategy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A request's own routing fields (OpenRouter's {@code models} and {@code provider}) over the account's settings. */
class RequestRoutingTest {

    private static final CatalogModel GPT = model("gpt-4o", Provider.OPENAI, "2.50", "10");
    private static final CatalogModel CLAUDE = model("claude-3-5-sonnet", Provider.ANTHROPIC, "3", "15");
    private static final CatalogModel GEMINI = model("gemini-1.5-pro", Provider.GOOGLE, "1.25", "5");
    private static final CatalogModel SOLO = model("o1", Provider.OPENAI, "15", "60");
    private static final Catalog CATALOG = new Catalog(
            List.of(GPT, CLAUDE, GEMINI, SOLO),
            List.of(new EquivalenceGroup("flagship", List.of("gpt-4o", "claude-3-5-sonnet", "gemini-1.5-pro"))));
    private static final RoutingSettings FALLBACK_ON =
            new RoutingSettings("a", Strategy.DEFAULT, true, List.of(), false, null, null);
    private static final RoutingSettings FALLBACK_OFF =
            new RoutingSettings("a", Strategy.DEFAULT, false, List.of(), false, null, null);

    private final LatencyTracker latency = new LatencyTracker();
    private final CandidateSelector selector = new CandidateSelector(CATALOG, latency, () -> 0.99);

    private List<CatalogModel> candidates(String model, List<String> models, RoutingSettings settings, Prefs prefs) {
        List<ModelRef> listed =
                models.stream().map(m -> CATALOG.resolve(m).orElseThrow()).toList();
        return selector.candidates(CATALOG.resolve(model).orElseThrow(), listed, settings, prefs.build(models));
    }

    @Test
    void listedModelsFollowTheNamedOneEachWithItsGroupOnce() {
        assertEquals(
                List.of(SOLO, GPT, CLAUDE, GEMINI),
                candidates("o1", List.of("gpt-4o", "anthropic/claude-3-5-sonnet"), FALLBACK_ON, new Prefs()));
        assertEquals(
                List.of(SOLO, GPT, CLAUDE),
                candidates("o1", List.of("gpt-4o", "claude-3-5-sonnet"), FALLBACK_OFF, new Prefs()),
                "with the account's fallback off each listed model is tried alone");
    }

    @Test
    void orderMovesItsProvidersFirstAndWithoutFallbacksKeepsOnlyThem() {
        assertEquals(
                List.of(GEMINI, CLAUDE, GPT),
                candidates("gpt-4o", List.of(), FALLBACK_ON, new Prefs().order(Provider.GOOGLE, Provider.ANTHROPIC)));
        assertEquals(
                List.of(CLAUDE),
                candidates(
                        "gpt-4o",
                        List.of(),
                        FALLBACK_OFF,
                        new Prefs().order(Provider.ANTHROPIC).allowFallbacks(false)),
                "an order finds its provider in the group even with fallbacks off");
        assertEquals(List.of(GPT), candidates("gpt-4o", List.of(), FALLBACK_ON, new Prefs().allowFallbacks(false)));
    }

    @Test
    void onlyAndIgnoreFilterAndAPinnedModelNeverMoves() {
        assertEquals(
                List.of(GPT, GEMINI),
                candidates("gpt-4o", List.of(), FALLBACK_ON, new Prefs().ignore(Provider.ANTHROPIC)));
        assertEquals(
                List.of(CLAUDE), candidates("gpt-4o", List.of(), FALLBACK_ON, new Prefs().only(Provider.ANTHROPIC)));
        assertEquals(
                List.of(),
                candidates("openai/gpt-4o", List.of(), FALLBACK_ON, new Prefs().only(Provider.ANTHROPIC)),
                "nothing left: the caller gets a 400");
    }

    @Test
    void sortOrdersByPriceLatencyOrThroughputWithUnmeasuredLast() {
        assertEquals(
                List.of(GEMINI, GPT, CLAUDE),
                candidates(
                        "claude-3-5-sonnet", List.of(), FALLBACK_ON, new Prefs().sort(RoutingPreferences.Sort.PRICE)));
        latency.record(CLAUDE, 90);
        latency.record(GPT, 300);
        assertEquals(
                List.of(CLAUDE, GPT, GEMINI),
                candidates("gpt-4o", List.of(), FALLBACK_ON, new Prefs().sort(RoutingPreferences.Sort.LATENCY)));
        latency.recordThroughput(GPT, 80);
        latency.recordThroughput(GEMINI, 140);
        assertEquals(
                List.of(GEMINI, GPT, CLAUDE),
                candidates("gpt-4o", List.of(), FALLBACK_ON, new Prefs().sort(RoutingPreferences.Sort.THROUGHPUT)));
    }

    /** A model of a 128k window priced {@code input} and {@code output} per million tokens since 1970. */
    static CatalogModel model(String id, Provider provider, String input, String output) {
        return new CatalogModel(
                id,
                provider,
                id,
                128_000,
                Set.of(),
                List.of(new Price(Instant.EPOCH, new BigDecimal(input), new BigDecimal(output), null, "test")),
                Lifecycle.ACTIVE,
                null);
    }

    /** Preferences built up field by field. */
    private static final class Prefs {
        private List<Provider> order = List.of();
        private Set<Provider> only = Set.of();
        private Set<Provider> ignore = Set.of();
        private Optional<Boolean> allowFallbacks = Optional.empty();
        private Optional<RoutingPreferences.Sort> sort = Optional.empty();

        Prefs order(Provider... providers) {
            order = List.of(providers);
            return this;
        }

        Prefs only(Provider... providers) {
            only = Set.of(providers);
            return this;
        }

        Prefs ignore(Provider... providers) {
            ignore = Set.of(providers);
            return this;
        }

        Prefs allowFallbacks(boolean allow) {
            allowFallbacks = Optional.of(allow);
            return this;
        }

        Prefs sort(RoutingPreferences.Sort by) {
            sort = Optional.of(by);
            return this;
        }

        RoutingPreferences build(List<String> models) {
            return new RoutingPreferences(models, order, only, ignore, allowFallbacks, sort, false);
        }
    }
}
