package io.tokenhub.billing.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One ledger line as the API shows it: the request's metadata, the rates applied and what it cost. {@code requestId}
 * is the billing id the gateway made; {@code clientRequestId} the client's own correlation id, null when none.
 * {@code api} and {@code usageSource} say which public API it came through and whether its token counts were
 * estimated. {@code invoicePeriod} is the month whose invoice holds the line: its own month, or for a request that arrived after
 * its month closed ({@code adjustment}), the open month it arrived in, {@code adjustmentFor} naming the month it ran.
 */
public record LedgerLineView(
        String object,
        String requestId,
        @Schema(nullable = true) String clientRequestId,
        String accountId,
        @Schema(nullable = true) String keyId,
        @Schema(nullable = true) String keyName,
        @Schema(nullable = true) String requestedModel,
        @Schema(nullable = true) String model,
        @Schema(nullable = true) String provider,
        @Schema(nullable = true) String providerModel,

        @Schema(description = "The public API the request came in through.")
        Api api,

        @Schema(description = "Every prompt token, cache reads and cache writes included.")
        long inputTokens,

        @Schema(description = "The part of input_tokens read from the provider's prompt cache.")
        long cachedTokens,

        // Named outright: the snake-case strategy would write cache_write5m_tokens, unlike the event and the CSV.
        @Schema(description = "The part of input_tokens written to a 5-minute prompt cache (Anthropic).")
        @JsonProperty("cache_write_5m_tokens")
        long cacheWrite5mTokens,

        @Schema(description = "The part of input_tokens written to a 1-hour prompt cache (Anthropic).")
        @JsonProperty("cache_write_1h_tokens")
        long cacheWrite1hTokens,

        long outputTokens,

        @Schema(
                description = "reported: the provider's own counts; estimated: TokenHub estimated at least one, for a"
                        + " stream that ended before the provider's usage arrived.")
        UsageSource usageSource,

        RequestStatus status,
        int httpStatus,
        boolean streamed,
        int fallbackAttempts,
        long latencyMs,
        @Schema(nullable = true) Long timeToFirstTokenMs,
        Instant occurredAt,
        Instant billedAt,
        boolean answered,
        @Schema(nullable = true) Instant priceEffectiveFrom,
        @Schema(nullable = true) Long priceTierAbovePromptTokens,

        @Schema(nullable = true) @JsonProperty("input_usd_per_1m")
        BigDecimal inputUsdPer1m,

        @Schema(nullable = true) @JsonProperty("cached_input_usd_per_1m")
        BigDecimal cachedInputUsdPer1m,

        @Schema(nullable = true) @JsonProperty("output_usd_per_1m")
        BigDecimal outputUsdPer1m,

        @Schema(
                nullable = true,
                description = "The 5-minute cache-write rate applied (the input rate where the provider publishes"
                        + " none); null on lines billed before cache writes were recorded.")
        @JsonProperty("cache_write_5m_usd_per_1m")
        BigDecimal cacheWrite5mUsdPer1m,

        @Schema(nullable = true, description = "The 1-hour cache-write rate applied, like cache_write_5m_usd_per_1m.")
        @JsonProperty("cache_write_1h_usd_per_1m")
        BigDecimal cacheWrite1hUsdPer1m,

        BigDecimal providerCostUsd,
        BigDecimal routingFeeUsd,
        BigDecimal totalUsd,
        String invoicePeriod,
        boolean adjustment,
        @Schema(nullable = true) String adjustmentFor) {

    public static LedgerLineView of(LedgerLine l) {
        return new LedgerLineView(
                "billing.request",
                l.requestId,
                l.clientRequestId,
                l.accountId,
                l.keyId,
                l.keyName,
                l.requestedModel,
                l.model,
                l.provider,
                l.providerModel,
                Api.fromWireName(l.api),
                l.inputTokens,
                l.cachedTokens,
                l.cacheWrite5mTokens,
                l.cacheWrite1hTokens,
                l.outputTokens,
                UsageSource.fromWireName(l.usageSource),
                l.status,
                l.httpStatus,
                l.streamed,
                l.fallbackAttempts,
                l.latencyMs,
                l.timeToFirstTokenMs,
                l.occurredAt,
                l.billedAt,
                l.answered,
                l.priceEffectiveFrom,
                l.priceTierAbovePromptTokens,
                l.inputUsdPer1m,
                l.cachedInputUsdPer1m,
                l.outputUsdPer1m,
                l.cacheWrite5mUsdPer1m,
                l.cacheWrite1hUsdPer1m,
                l.providerCostUsd,
                l.routingFeeUsd,
                l.totalUsd,
                YearMonth.from(l.invoiceMonth).toString(),
                l.adjustmentFor != null,
                l.adjustmentFor == null ? null : YearMonth.from(l.adjustmentFor).toString());
    }
}
