package io.tokenhub.routing.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.EquivalenceGroup;
import io.tokenhub.common.catalog.Lifecycle;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.settings.RoutingSettings;
import io.tokenhub.routing.settings.Strategy;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CandidateSelectorTest {

    private static final CatalogModel GPT = model("gpt-4o", Provider.OPENAI);
    private static final CatalogModel CLAUDE = model("claude-3-5-sonnet", Provider.ANTHROPIC);
    private static final CatalogModel GEMINI = model("gemini-1.5-pro", Provider.GOOGLE);
    private static final CatalogModel SOLO = model("o1", Provider.OPENAI);
    private static final Catalog CATALOG = new Catalog(
            List.of(GPT, CLAUDE, GEMINI, SOLO),
            List.of(new EquivalenceGroup("flagship", List.of("gpt-4o", "claude-3-5-sonnet", "gemini-1.5-pro"))));

    private final LatencyTracker latency = new LatencyTracker();

    @Test
    void pinnedNamesAndFallbackOffGetOnlyTheNamedModel() {
        CandidateSelector selector = new CandidateSelector(CATALOG, latency, () -> 0.99);
        assertEquals(
                List.of(CLAUDE),
                selector.candidates(
                        CATALOG.resolve("anthropic/claude-3-5-sonnet").orElseThrow(),
                        settings(Strategy.DEFAULT, true)));
        assertEquals(
                List.of(CLAUDE),
                selector.candidates(
                        CATALOG.resolve("claude-3-5-sonnet").orElseThrow(), settings(Strategy.DEFAULT, false)));
        assertEquals(
                List.of(SOLO),
                selector.candidates(CATALOG.resolve("o1").orElseThrow(), settings(Strategy.DEFAULT, true)));
    }

    @Test
    void defaultOrderIsNamedModelThenPreferredBackupsThenGroupOrder() {
        CandidateSelector selector = new CandidateSelector(CATALOG, latency, () -> 0.99);
        assertEquals(
                List.of(CLAUDE, GPT, GEMINI),
                selector.candidates(
                        CATALOG.resolve("claude-3-5-sonnet").orElseThrow(), settings(Strategy.DEFAULT, true)));
        RoutingSettings preferGoogle =
                new RoutingSettings("a", Strategy.DEFAULT, true, List.of(Provider.GOOGLE), false, null, null);
        assertEquals(
                List.of(GPT, GEMINI, CLAUDE),
                selector.candidates(CATALOG.resolve("gpt-4o").orElseThrow(), preferGoogle));
    }

    @Test
    void retiredMembersAreNeverTriedAndTheNamedProvidersOtherModelsComeLast() {
        CatalogModel mini = model("gpt-4.1", Provider.OPENAI);
        CatalogModel retired = new CatalogModel(
                "gemini-1.5-flash",
                Provider.GOOGLE,
                "gemini-1.5-flash",
                128_000,
                Set.of(),
                GEMINI.prices(),
                new Lifecycle(LocalDate.of(2025, 4, 29), LocalDate.of(2025, 9, 24), null, "test"),
                null);
        Catalog catalog = new Catalog(
                List.of(GPT, mini, CLAUDE, retired),
                List.of(new EquivalenceGroup(
                        "g", List.of("gpt-4o", "gpt-4.1", "gemini-1.5-flash", "claude-3-5-sonnet"))));
        CandidateSelector selector = new CandidateSelector(catalog, latency, () -> 0.99);
        assertEquals(
                List.of(GPT, CLAUDE, mini),
                selector.candidates(catalog.resolve("gpt-4o").orElseThrow(), settings(Strategy.DEFAULT, true)));
        assertEquals(
                List.of(CLAUDE, GPT, mini),
                selector.candidates(
                        catalog.resolve("claude-3-5-sonnet").orElseThrow(), settings(Strategy.DEFAULT, true)));
    }

    @Test
    void latencyPicksTheFastestAndMovesWhenItSlows() {
        CandidateSelector selector = new CandidateSelector(CATALOG, latency, () -> 0.99);
        latency.record(GPT, 300);
        latency.record(CLAUDE, 120);
        latency.record(GEMINI, 200);
        assertEquals(
                List.of(CLAUDE, GEMINI, GPT),
                selector.candidates(CATALOG.resolve("gpt-4o").orElseThrow(), settings(Strategy.LATENCY, true)));
        for (int i = 0; i < 20; i++) {
            latency.record(CLAUDE, 900);
        }
        assertEquals(
                GEMINI,
                selector.candidates(CATALOG.resolve("gpt-4o").orElseThrow(), settings(Strategy.LATENCY, true))
                        .get(0));
    }

    @Test
    void latencyMeasuresUnmeasuredProvidersFirstAndSometimesExplores() {
        latency.record(GPT, 50);
        latency.record(CLAUDE, 60);
        CandidateSelector steady = new CandidateSelector(CATALOG, latency, () -> 0.99);
        assertEquals(
                GEMINI,
                steady.candidates(CATALOG.resolve("gpt-4o").orElseThrow(), settings(Strategy.LATENCY, true))
                        .get(0),
                "never measured, so tried first");
        latency.record(GEMINI, 70);
        assertEquals(
                GPT,
                steady.candidates(CATALOG.resolve("gpt-4o").orElseThrow(), settings(Strategy.LATENCY, true))
                        .get(0));
        CandidateSelector exploring = new CandidateSelector(CATALOG, latency, () -> 0.0);
        assertEquals(
                CLAUDE,
                exploring
                        .candidates(CATALOG.resolve("gpt-4o").orElseThrow(), settings(Strategy.LATENCY, true))
                        .get(0),
                "an exploring request leads with another member");
    }

    @Test
    void exactlyFivePercentExploreAndAnExplorerCanLeadWithAnyOtherMember() {
        latency.record(GPT, 50);
        latency.record(CLAUDE, 60);
        latency.record(GEMINI, 70);
        ModelRef gpt = CATALOG.resolve("gpt-4o").orElseThrow();
        assertEquals(GPT, leader(new double[] {0.05}, gpt), "a draw of 0.05 is in the 95 % that do not explore");
        assertEquals(CLAUDE, leader(new double[] {0.0499, 0.0}, gpt), "the lowest pick is the second fastest");
        assertEquals(GEMINI, leader(new double[] {0.0499, 0.5}, gpt), "half way picks the third of three");
        assertEquals(GEMINI, leader(new double[] {0.0499, 0.999}, gpt), "the highest pick is the slowest");
    }

    @Test
    void latencyIsAnExponentialAverageWeightingTheNewestByAFifth() {
        latency.record(GPT, 100);
        assertEquals(100.0, latency.estimate(GPT));
        latency.record(GPT, 200);
        assertEquals(120.0, latency.estimate(GPT), 1e-9);
        latency.record(GPT, 20);
        assertEquals(100.0, latency.estimate(GPT), 1e-9);
        assertEquals(-1.0, latency.estimate(CLAUDE), "unmeasured");
    }

    private CatalogModel leader(double[] draws, ModelRef ref) {
        int[] next = {0};
        CandidateSelector selector = new CandidateSelector(CATALOG, latency, () -> draws[next[0]++]);
        CatalogModel first =
                selector.candidates(ref, settings(Strategy.LATENCY, true)).get(0);
        assertEquals(draws.length, next[0], "draws used");
        return first;
    }

    private static RoutingSettings settings(Strategy strategy, boolean fallback) {
        return new RoutingSettings("a", strategy, fallback, List.of(), false, null, null);
    }

    private static CatalogModel model(String id, Provider provider) {
        return RequestRoutingTest.model(id, provider, "1", "1");
    }
}
