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
    void theBuiltInCatalogLoads() {
        Catalog catalog = CatalogLoader.load(Optional.empty());
        assertTrue(catalog.resolve("gpt-4o").isPresent());
        catalog.models().forEach(m -> assertTrue(m.priceAt(Instant.now()).isPresent(), m.id() + " has a price"));
    }

    private static Catalog parse(String yaml) throws IOException {
        return CatalogLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
