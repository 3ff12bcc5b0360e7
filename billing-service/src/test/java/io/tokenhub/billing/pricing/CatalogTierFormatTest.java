package io.tokenhub.billing.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.billing.TestEvents;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.Price;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogTierFormatTest {

    @Test
    void tiersAreReadFromTheCatalogFile() {
        Price pro = TestEvents.catalog()
                .byId("gemini-1.5-pro")
                .orElseThrow()
                .priceAt(Instant.now())
                .orElseThrow();
        assertEquals(1, pro.tiers().size());
        assertEquals(128_000, pro.tiers().get(0).abovePromptTokens());
        // no cached price published in the tier: cached tokens are charged at the tier's input price
        assertEquals(new BigDecimal("2.50"), pro.ratesFor(200_000).cachedInputPerMillion());
        assertEquals(new BigDecimal("1.25"), pro.ratesFor(1).inputPerMillion());
    }

    @Test
    void theBuiltInCatalogStillLoadsAndFlatPricesHaveNoTiers() {
        assertTrue(CatalogLoader.load(Optional.empty()).byId("gpt-4o").isPresent());
        Price flat = new Price(Instant.EPOCH, BigDecimal.ONE, BigDecimal.TEN, null, "s");
        assertEquals(0, flat.ratesFor(10_000_000).abovePromptTokens());
    }

    @Test
    void aTierWithoutAPositiveThresholdStopsTheCatalogFromLoading() throws Exception {
        Path file = Files.createTempFile("catalog", ".yaml");
        Files.writeString(file, """
                models:
                  - id: m
                    provider: google
                    provider-model: m
                    context-window: 10
                    prices:
                      - effective-from: 2024-01-01T00:00:00Z
                        input-per-1m: "1"
                        output-per-1m: "1"
                        tiers:
                          - above-prompt-tokens: 0
                            input-per-1m: "2"
                            output-per-1m: "2"
                """);
        assertThrows(RuntimeException.class, () -> CatalogLoader.load(Optional.of(file)));
        Files.delete(file);
    }
}
