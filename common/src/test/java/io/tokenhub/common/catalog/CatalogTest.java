package io.tokenhub.common.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private static final String TWO_PROVIDERS = """
            models:
              - id: gpt-4o
                provider: openai
                provider-model: gpt-4o
                context-window: 128000
                capabilities: [chat]
                prices:
                  - {effective-from: 2024-01-01T00:00:00Z, input-per-1m: "5.00", output-per-1m: "15.00", source: old}
                  - {effective-from: 2024-08-06T00:00:00Z, input-per-1m: "2.50", output-per-1m: "10.00", source: new}
              - id: claude-3-5-sonnet
                provider: anthropic
                provider-model: claude-3-5-sonnet-20241022
                context-window: 200000
                capabilities: [chat]
                prices:
                  - {effective-from: 2024-10-22T00:00:00Z, input-per-1m: "3.00", output-per-1m: "15.00", source: s}
            """;

    /** Sonnet 3.5 deprecated then retired with a successor that is itself retired later; all dates are made up. */
    private static final String THREE_MODELS = """
            models:
              - id: gpt-4o
                provider: openai
                provider-model: gpt-4o
                context-window: 128000
                capabilities: [chat]
              - id: gpt-4.1
                provider: openai
                provider-model: gpt-4.1
                context-window: 1000000
                capabilities: [chat]
                lifecycle:
                  retired-at: 2040-01-01
                  successor: gpt-4o
                  source: lifecycle-source
              - id: claude-3-5-sonnet
                provider: anthropic
                provider-model: claude-3-5-sonnet-20241022
                context-window: 200000
                capabilities: [chat]
                lifecycle:
                  deprecated-at: 2025-08-13
                  retired-at: 2025-10-22
                  successor: gpt-4.1
                  source: lifecycle-source
            """;

    @Test
    void plainAndPinnedNamesResolveAndAWrongPrefixDoesNot() throws IOException {
        Catalog catalog = parse(TWO_PROVIDERS);
        assertFalse(catalog.resolve("gpt-4o").orElseThrow().pinned());
        assertTrue(catalog.resolve("openai/gpt-4o").orElseThrow().pinned());
        assertEquals(Optional.empty(), catalog.resolve("anthropic/gpt-4o"));
        assertEquals(Optional.empty(), catalog.resolve("nobody/gpt-4o"));
        assertEquals(Optional.empty(), catalog.resolve("gpt-5"));
        assertEquals(Optional.empty(), catalog.resolve(""));
    }

    @Test
    void thePriceInForceIsTheLatestThatHadTakenEffect() throws IOException {
        CatalogModel gpt4o = parse(TWO_PROVIDERS).byId("gpt-4o").orElseThrow();
        assertEquals(
                new BigDecimal("5.00"),
                gpt4o.priceAt(Instant.parse("2024-08-05T23:59:59Z"))
                        .orElseThrow()
                        .inputPerMillion());
        assertEquals(
                new BigDecimal("2.50"),
                gpt4o.priceAt(Instant.parse("2024-08-06T00:00:00Z"))
                        .orElseThrow()
                        .inputPerMillion());
        assertEquals(Optional.empty(), gpt4o.priceAt(Instant.parse("2023-12-31T00:00:00Z")));
    }

    @Test
    void groupsMustNameKnownModelsOfDifferentProviders() throws IOException {
        Catalog catalog =
                parse(TWO_PROVIDERS + "groups:\n  - id: flagship\n    members: [gpt-4o, claude-3-5-sonnet]\n");
        assertEquals(
                List.of("gpt-4o", "claude-3-5-sonnet"),
                catalog.groupOf("claude-3-5-sonnet").orElseThrow().members());
        assertThrows(
                IllegalArgumentException.class,
                () -> parse(TWO_PROVIDERS + "groups:\n  - id: g\n    members: [gpt-4o, gpt-5]\n"));
        assertThrows(
                IllegalArgumentException.class,
                () -> parse(THREE_MODELS + "groups:\n  - id: g\n    members: [gpt-4o, gpt-4.1]\n"),
                "a group of one provider has no backup");
        assertEquals(
                List.of("gpt-4o", "gpt-4.1", "claude-3-5-sonnet"),
                parse(THREE_MODELS + "groups:\n  - id: g\n    members: [gpt-4o, gpt-4.1, claude-3-5-sonnet]\n")
                        .groupOf("gpt-4.1")
                        .orElseThrow()
                        .members());
        assertThrows(
                IllegalArgumentException.class,
                () -> parse(TWO_PROVIDERS
                        + "groups:\n  - id: g\n    members: [gpt-4o, claude-3-5-sonnet]\n"
                        + "  - id: h\n    members: [claude-3-5-sonnet, gpt-4o]\n"));
    }

    @Test
    void aBrokenFileIsRefusedRatherThanGuessed() {
        assertThrows(Exception.class, () -> parse("models: []\n"));
        assertThrows(
                Exception.class,
                () -> parse(TWO_PROVIDERS.replace("input-per-1m: \"3.00\"", "input-per-1m: \"-3.00\"")));
        assertThrows(Exception.class, () -> parse(TWO_PROVIDERS.replace("provider: anthropic", "provider: acme")));
        assertThrows(
                Exception.class,
                () -> parse(
                        TWO_PROVIDERS.replace("context-window: 200000", "context-window: 200000\n    colour: blue")));
    }

    @Test
    void aModelIsDeprecatedThenRetiredOnItsDaysInUtc() throws IOException {
        Catalog catalog = parse(THREE_MODELS);
        CatalogModel sonnet = catalog.byId("claude-3-5-sonnet").orElseThrow();
        assertEquals(Lifecycle.Stage.ACTIVE, sonnet.stageAt(Instant.parse("2025-08-12T23:59:59Z")));
        assertEquals(Lifecycle.Stage.DEPRECATED, sonnet.stageAt(Instant.parse("2025-08-13T00:00:00Z")));
        assertEquals(Lifecycle.Stage.DEPRECATED, sonnet.stageAt(Instant.parse("2025-10-21T23:59:59Z")));
        assertEquals(Lifecycle.Stage.RETIRED, sonnet.stageAt(Instant.parse("2025-10-22T00:00:00Z")));
        assertEquals(
                Lifecycle.Stage.ACTIVE,
                catalog.byId("gpt-4o").orElseThrow().stageAt(Instant.parse("2030-01-01T00:00:00Z")));
    }

    @Test
    void aRetiredModelsSuccessorIsTheFirstOfItsChainStillServed() throws IOException {
        Catalog catalog = parse(THREE_MODELS);
        CatalogModel sonnet = catalog.byId("claude-3-5-sonnet").orElseThrow();
        assertEquals(Optional.empty(), catalog.successorAt(sonnet, Instant.parse("2025-10-21T00:00:00Z")));
        assertEquals("gpt-4.1", successor(catalog, "claude-3-5-sonnet", Instant.parse("2025-10-22T00:00:00Z")));
        // gpt-4.1 retires too (2040): its own successor takes over.
        assertEquals("gpt-4o", successor(catalog, "claude-3-5-sonnet", Instant.parse("2040-01-01T00:00:00Z")));
    }

    @Test
    void aLifecycleThatCannotBeTrueIsRefused() {
        assertThrows(
                Exception.class,
                () -> parse(THREE_MODELS.replace("successor: gpt-4.1", "successor: gpt-9")),
                "unknown successor");
        assertThrows(
                Exception.class,
                () -> parse(THREE_MODELS.replace("successor: gpt-4o", "successor: claude-3-5-sonnet")),
                "a loop of successors");
        assertThrows(
                Exception.class,
                () -> parse(THREE_MODELS.replace("      retired-at: 2025-10-22\n", "")),
                "deprecated without a retirement day");
        assertThrows(
                Exception.class,
                () -> parse(THREE_MODELS.replace("retired-at: 2025-10-22", "retired-at: 2025-08-01")),
                "retired before deprecated");
        assertThrows(
                Exception.class,
                () -> parse(THREE_MODELS.replace("      source: lifecycle-source\n", "")),
                "dates without a source");
    }

    @Test
    void theBuiltInCatalogGroupsEveryChatModelAndKeepsReasoningForReasoningModels() {
        Catalog catalog = CatalogLoader.load(Optional.empty());
        // Kept out of every group on purpose (catalog.yaml says why): no equivalent is honest for them.
        Set<String> ungrouped = Set.of("o3-pro", "gpt-5-pro", "gpt-5-codex");
        for (CatalogModel model : catalog.models()) {
            assertEquals(
                    model.can(Capability.CHAT) && !ungrouped.contains(model.id()),
                    catalog.groupOf(model.id()).isPresent(),
                    model.id() + ": every chat model but the ungrouped ones has a group, no embeddings model has one");
            model.prices()
                    .forEach(p -> assertTrue(
                            p.source() != null && !p.source().isBlank(),
                            model.id() + " cites where its price comes from"));
        }
        EquivalenceGroup reasoning = catalog.groups().stream()
                .filter(g -> g.id().equals("reasoning"))
                .findFirst()
                .orElseThrow();
        reasoning
                .members()
                .forEach(id -> assertTrue(
                        catalog.byId(id).orElseThrow().can(Capability.REASONING), id + " is a reasoning model"));
        assertEquals(
                List.of("flagship", "small", "reasoning", "code"),
                catalog.groups().stream().map(EquivalenceGroup::id).toList());
    }

    @Test
    void aModelIsCalledOnTheChatApiUnlessTheCatalogSaysResponses() throws IOException {
        Catalog catalog = parse(TWO_PROVIDERS.replace(
                "provider-model: gpt-4o\n", "provider-model: gpt-4o\n    upstream-api: responses\n"));
        assertEquals(UpstreamApi.RESPONSES, catalog.byId("gpt-4o").orElseThrow().upstreamApi());
        assertEquals(
                UpstreamApi.CHAT,
                catalog.byId("claude-3-5-sonnet").orElseThrow().upstreamApi());
        assertThrows(
                Exception.class,
                () -> parse(TWO_PROVIDERS.replace(
                        "provider-model: gpt-4o\n", "provider-model: gpt-4o\n    upstream-api: completions\n")));
        assertThrows(
                Exception.class,
                () -> parse(TWO_PROVIDERS.replace(
                        "provider-model: claude-3-5-sonnet-20241022\n",
                        "provider-model: claude-3-5-sonnet-20241022\n    upstream-api: responses\n")),
                "only OpenAI has a Responses API");
    }

    @Test
    void theBuiltInCatalogCallsOpenAisResponsesOnlyModelsOnItsResponsesApi() {
        Catalog catalog = CatalogLoader.load(Optional.empty());
        // Independent fact: OpenAI serves o3-pro and gpt-5-pro on v1/responses only (their model pages).
        for (String id : List.of("o3-pro", "gpt-5-pro")) {
            assertEquals(UpstreamApi.RESPONSES, catalog.byId(id).orElseThrow().upstreamApi(), id);
        }
        assertEquals(UpstreamApi.CHAT, catalog.byId("o3").orElseThrow().upstreamApi());
    }

    @Test
    void theBuiltInCatalogRetiresWhatItsProvidersRetired() {
        Catalog catalog = CatalogLoader.load(Optional.empty());
        // Independent facts: Anthropic retired Claude Sonnet 3.5 on 2025-10-22 and Claude Haiku 3 on 2026-04-20;
        // Google shut Gemini 1.5 down on 2025-09-24.
        Instant after = Instant.parse("2026-04-21T00:00:00Z");
        assertEquals("claude-sonnet-4-5", successor(catalog, "claude-3-5-sonnet", after));
        assertEquals("claude-haiku-4-5", successor(catalog, "claude-3-haiku", after));
        assertEquals("gemini-2.5-pro", successor(catalog, "gemini-1.5-pro", after));
        assertFalse(catalog.byId("claude-3-haiku").orElseThrow().retiredAt(Instant.parse("2026-04-19T12:00:00Z")));
        assertFalse(catalog.byId("gpt-4o").orElseThrow().retiredAt(after));
    }

    @Test
    void theBuiltInCatalogLoads() {
        Catalog catalog = CatalogLoader.load(Optional.empty());
        assertTrue(catalog.resolve("gpt-4o").isPresent());
        catalog.models().forEach(m -> assertTrue(m.priceAt(Instant.now()).isPresent(), m.id() + " has a price"));
    }

    private static String successor(Catalog catalog, String retired, Instant at) {
        return catalog.successorAt(catalog.byId(retired).orElseThrow(), at)
                .orElseThrow()
                .id();
    }

    private static Catalog parse(String yaml) throws IOException {
        return CatalogLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
