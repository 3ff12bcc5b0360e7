package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One published rate for a model, in US dollars per one million tokens, in force from {@code effectiveFrom}
 * until the next entry of the same model takes over. Keeping every entry means a price change never
 * rewrites the cost of requests that ran before it.
 *
 * @param effectiveFrom first instant at which this rate applies
 * @param inputPerMillion price of one million uncached input tokens
 * @param outputPerMillion price of one million output tokens
 * @param cachedInputPerMillion price of one million cached input tokens; null when the provider has no cache price,
 *                              in which case cached tokens are charged at the input price
 * @param cacheWrite5mPerMillion price of one million input tokens written to a 5-minute prompt cache (Anthropic bills
 *                               them at 1.25x the input rate); null when the provider bills cache writes as input
 * @param cacheWrite1hPerMillion price of one million input tokens written to a 1-hour prompt cache (Anthropic: 2x
 *                               the input rate); null when the provider bills cache writes as input
 * @param source where the figure was published
 * @param tiers long-prompt rates (Gemini 1.5 above 128k prompt tokens), empty for a flat price
 */
public record Price(
        @JsonProperty("effective-from") Instant effectiveFrom,
        @JsonProperty("input-per-1m") BigDecimal inputPerMillion,
        @JsonProperty("output-per-1m") BigDecimal outputPerMillion,
        @JsonProperty("cached-input-per-1m") BigDecimal cachedInputPerMillion,
        @JsonProperty("cache-write-5m-per-1m") BigDecimal cacheWrite5mPerMillion,
        @JsonProperty("cache-write-1h-per-1m") BigDecimal cacheWrite1hPerMillion,
        @JsonProperty("source") String source,
        @JsonProperty("tiers") List<Tier> tiers) {

    @JsonCreator
    public Price {
        requireNonNegative(inputPerMillion, "input-per-1m");
        requireNonNegative(outputPerMillion, "output-per-1m");
        requireNonNegativeIfSet(cachedInputPerMillion, "cached-input-per-1m");
        requireNonNegativeIfSet(cacheWrite5mPerMillion, "cache-write-5m-per-1m");
        requireNonNegativeIfSet(cacheWrite1hPerMillion, "cache-write-1h-per-1m");
        if (effectiveFrom == null) {
            throw new IllegalArgumentException("effective-from is required");
        }
        tiers = tiers == null
                ? List.of()
                : tiers.stream()
                        .sorted(Comparator.comparingLong(Tier::abovePromptTokens))
                        .toList();
        Set<Long> thresholds = new HashSet<>();
        for (Tier t : tiers) {
            if (!thresholds.add(t.abovePromptTokens())) {
                throw new IllegalArgumentException("two tiers start above " + t.abovePromptTokens() + " prompt tokens");
            }
        }
    }

    /** A flat price without cache-write rates: the same rate whatever the prompt length. */
    public Price(
            Instant effectiveFrom,
            BigDecimal inputPerMillion,
            BigDecimal outputPerMillion,
            BigDecimal cachedInputPerMillion,
            String source) {
        this(effectiveFrom, inputPerMillion, outputPerMillion, cachedInputPerMillion, null, null, source, List.of());
    }

    /**
     * The rates a request with {@code promptTokens} prompt tokens (cached ones included) is charged at: those of the
     * highest tier whose threshold the prompt exceeds, otherwise the base rates. The whole request is charged at
     * the chosen rates, not only the tokens past the threshold, as Google bills Gemini 1.5.
     */
    public Rates ratesFor(long promptTokens) {
        Rates chosen = Rates.of(
                0,
                inputPerMillion,
                outputPerMillion,
                cachedInputPerMillion,
                cacheWrite5mPerMillion,
                cacheWrite1hPerMillion);
        for (Tier t : tiers) {
            if (promptTokens > t.abovePromptTokens()) {
                chosen = Rates.of(
                        t.abovePromptTokens(),
                        t.inputPerMillion(),
                        t.outputPerMillion(),
                        t.cachedInputPerMillion(),
                        t.cacheWrite5mPerMillion(),
                        t.cacheWrite1hPerMillion());
            }
        }
        return chosen;
    }

    /**
     * The rates for prompts longer than {@code abovePromptTokens}.
     *
     * @param abovePromptTokens the tier applies when the prompt has strictly more tokens than this
     * @param inputPerMillion price of one million uncached input tokens in this tier
     * @param outputPerMillion price of one million output tokens in this tier
     * @param cachedInputPerMillion price of one million cached input tokens in this tier; null charges them at this
     *                              tier's input price
     * @param cacheWrite5mPerMillion 5-minute cache writes in this tier; null charges them at this tier's input price
     * @param cacheWrite1hPerMillion 1-hour cache writes in this tier; null charges them at this tier's input price
     */
    public record Tier(
            @JsonProperty("above-prompt-tokens") long abovePromptTokens,
            @JsonProperty("input-per-1m") BigDecimal inputPerMillion,
            @JsonProperty("output-per-1m") BigDecimal outputPerMillion,
            @JsonProperty("cached-input-per-1m") BigDecimal cachedInputPerMillion,
            @JsonProperty("cache-write-5m-per-1m") BigDecimal cacheWrite5mPerMillion,
            @JsonProperty("cache-write-1h-per-1m") BigDecimal cacheWrite1hPerMillion) {

        public Tier {
            if (abovePromptTokens <= 0) {
                throw new IllegalArgumentException("above-prompt-tokens must be positive");
            }
            requireNonNegative(inputPerMillion, "tier input-per-1m");
            requireNonNegative(outputPerMillion, "tier output-per-1m");
            requireNonNegativeIfSet(cachedInputPerMillion, "tier cached-input-per-1m");
            requireNonNegativeIfSet(cacheWrite5mPerMillion, "tier cache-write-5m-per-1m");
            requireNonNegativeIfSet(cacheWrite1hPerMillion, "tier cache-write-1h-per-1m");
        }
    }

    /**
     * The rates that apply to one request, in US dollars per one million tokens.
     *
     * @param abovePromptTokens the threshold of the tier chosen; 0 for the base rates
     * @param inputPerMillion uncached input rate
     * @param outputPerMillion output rate
     * @param cachedInputPerMillion cached input rate, already falling back to the input rate when none is published
     * @param cacheWrite5mPerMillion 5-minute cache-write rate, already falling back to the input rate
     * @param cacheWrite1hPerMillion 1-hour cache-write rate, already falling back to the input rate
     */
    public record Rates(
            long abovePromptTokens,
            BigDecimal inputPerMillion,
            BigDecimal outputPerMillion,
            BigDecimal cachedInputPerMillion,
            BigDecimal cacheWrite5mPerMillion,
            BigDecimal cacheWrite1hPerMillion) {

        /**
         * The rates to charge, each unpublished cache rate replaced by the input rate: a provider without its own
         * cache price bills cached and cache-written tokens as plain input.
         */
        static Rates of(
                long abovePromptTokens,
                BigDecimal input,
                BigDecimal output,
                BigDecimal cachedInput,
                BigDecimal cacheWrite5m,
                BigDecimal cacheWrite1h) {
            return new Rates(
                    abovePromptTokens,
                    input,
                    output,
                    cachedInput == null ? input : cachedInput,
                    cacheWrite5m == null ? input : cacheWrite5m,
                    cacheWrite1h == null ? input : cacheWrite1h);
        }

        /** Whether a long-prompt tier, not the base price, was chosen. */
        public boolean tiered() {
            return abovePromptTokens > 0;
        }
    }

    private static void requireNonNegativeIfSet(BigDecimal value, String name) {
        if (value != null) {
            requireNonNegative(value, name);
        }
    }

    private static void requireNonNegative(BigDecimal value, String name) {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative decimal");
        }
    }
}
