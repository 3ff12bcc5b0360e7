package io.tokenhub.billing.pricing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.tokenhub.billing.api.Instants;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Price;
import io.tokenhub.common.pricing.PriceCalculator;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The prices billing applies: per catalog model, the entry in force at an instant (now by default). */
@Path("/api/billing/prices")
@Tag(name = "Prices", description = "The published token prices and the routing fee TokenHub bills at.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PriceResource {

    /** The price list, for the OpenAPI document. */
    private static final String PRICES_EXAMPLE = """
            {"object": "list", "as_of": "2026-12-01T00:00:00Z", "currency": "USD", "routing_fee_usd": "0.0001",
             "data": [{"model": "gpt-4o", "provider": "openai", "provider_model": "gpt-4o-2024-08-06",
              "effective_from": "2024-08-06T00:00:00Z", "input_per_1m": "2.50", "output_per_1m": "10.00",
              "cached_input_per_1m": "1.25", "cached_input_price_published": true,
              "cache_write_5m_per_1m": "2.50", "cache_write_1h_per_1m": "2.50", "tiers": [],
              "source": "https://platform.openai.com/docs/pricing"}]}""";

    private final PriceCalculator calculator;

    public PriceResource(PriceCalculator calculator) {
        this.calculator = calculator;
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "The prices in force at the instant asked for.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PriceList.class),
                            examples = @ExampleObject(name = "example", value = PRICES_EXAMPLE)))
    @Operation(
            summary = "Prices in force",
            description = "Per model: input, output, cached-input and cache-write (5-minute and 1-hour) price per"
                    + " million tokens, with tiers where the provider has them, and the routing fee in force per"
                    + " answered request; the same for every account.")
    public PriceList prices(
            @Parameter(description = "The instant the prices are in force at, ISO-8601; now when absent.")
                    @QueryParam("at")
                    String at) {
        Instant when = Optional.ofNullable(Instants.parse("at", at)).orElseGet(Instant::now);
        List<ModelPrice> data = new ArrayList<>();
        for (CatalogModel model : calculator.catalog().models()) {
            model.priceAt(when).ifPresent(price -> data.add(ModelPrice.of(model, price)));
        }
        return new PriceList("list", when, "USD", calculator.routingFees().at(when), data);
    }

    /**
     * The answer: money as decimal strings.
     *
     * @param asOf the instant the prices are in force at
     * @param routingFeeUsd charged once per answered request, the fee in force at {@code asOf}
     * @param data one entry per model that has a price at {@code asOf}; models without one are not billable then
     */
    public record PriceList(
            String object, Instant asOf, String currency, BigDecimal routingFeeUsd, List<ModelPrice> data) {}

    /**
     * One model's price.
     *
     * @param cachedInputPer1m the rate cached input is billed at (the input rate when the provider publishes none)
     * @param cachedInputPricePublished whether the provider publishes a cached-input rate of its own
     * @param cacheWrite5mPer1m the rate input written to a 5-minute prompt cache is billed at (the input rate when
     *     the provider bills cache writes as input)
     * @param cacheWrite1hPer1m the same for a 1-hour prompt cache
     */
    public record ModelPrice(
            String model,
            String provider,
            String providerModel,
            Instant effectiveFrom,
            @JsonProperty("input_per_1m") BigDecimal inputPer1m,
            @JsonProperty("output_per_1m") BigDecimal outputPer1m,
            @JsonProperty("cached_input_per_1m") BigDecimal cachedInputPer1m,
            boolean cachedInputPricePublished,
            @JsonProperty("cache_write_5m_per_1m") BigDecimal cacheWrite5mPer1m,
            @JsonProperty("cache_write_1h_per_1m") BigDecimal cacheWrite1hPer1m,
            List<TierPrice> tiers,
            String source) {

        static ModelPrice of(CatalogModel model, Price price) {
            // The rates a request is charged at, as PriceCalculator sees them: unpublished cache rates already fall
            // back to the input rate. A tier's rates are those of a prompt one token past its threshold.
            Price.Rates base = price.ratesFor(0);
            List<TierPrice> tiers = price.tiers().stream()
                    .map(t -> price.ratesFor(t.abovePromptTokens() + 1))
                    .map(r -> new TierPrice(
                            r.abovePromptTokens(),
                            r.inputPerMillion(),
                            r.outputPerMillion(),
                            r.cachedInputPerMillion(),
                            r.cacheWrite5mPerMillion(),
                            r.cacheWrite1hPerMillion()))
                    .toList();
            return new ModelPrice(
                    model.id(),
                    model.provider().wireName(),
                    model.providerModel(),
                    price.effectiveFrom(),
                    base.inputPerMillion(),
                    base.outputPerMillion(),
                    base.cachedInputPerMillion(),
                    price.cachedInputPerMillion() != null,
                    base.cacheWrite5mPerMillion(),
                    base.cacheWrite1hPerMillion(),
                    tiers,
                    price.source());
        }
    }

    /** Rates for a whole request whose prompt has more than {@code abovePromptTokens} tokens. */
    public record TierPrice(
            long abovePromptTokens,
            @JsonProperty("input_per_1m") BigDecimal inputPer1m,
            @JsonProperty("output_per_1m") BigDecimal outputPer1m,
            @JsonProperty("cached_input_per_1m") BigDecimal cachedInputPer1m,
            @JsonProperty("cache_write_5m_per_1m") BigDecimal cacheWrite5mPer1m,
            @JsonProperty("cache_write_1h_per_1m") BigDecimal cacheWrite1hPer1m) {}
}
