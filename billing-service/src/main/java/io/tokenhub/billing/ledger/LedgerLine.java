package io.tokenhub.billing.ledger;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.hibernate.annotations.Immutable;

/**
 * One billed request. Lines are written only by {@link LedgerWriter} (a batched INSERT ... ON CONFLICT DO NOTHING)
 * and never updated: a correction would be a new line, so the entity is immutable to Hibernate.
 */
@Entity
@Immutable
@Table(name = "usage_ledger")
public class LedgerLine extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "account_id")
    public String accountId;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "key_id")
    public String keyId;

    @Column(name = "key_name")
    public String keyName;

    @Column(name = "requested_model")
    public String requestedModel;

    public String model;
    public String provider;

    @Column(name = "provider_model")
    public String providerModel;

    @Column(name = "input_tokens")
    public long inputTokens;

    @Column(name = "output_tokens")
    public long outputTokens;

    @Column(name = "cached_tokens")
    public long cachedTokens;

    /** Input tokens written to a 5-minute prompt cache, part of {@link #inputTokens}. */
    @Column(name = "cache_write_5m_tokens")
    public long cacheWrite5mTokens;

    /** Input tokens written to a 1-hour prompt cache, part of {@link #inputTokens}. */
    @Column(name = "cache_write_1h_tokens")
    public long cacheWrite1hTokens;

    @Column(name = "latency_ms")
    public long latencyMs;

    @Column(name = "time_to_first_token_ms")
    public Long timeToFirstTokenMs;

    @Enumerated(EnumType.STRING)
    public RequestStatus status;

    @Column(name = "http_status")
    public int httpStatus;

    @Column(name = "fallback_attempts")
    public int fallbackAttempts;

    public boolean streamed;

    @Column(name = "event_version")
    public int eventVersion;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "usage_day")
    public LocalDate usageDay;

    @Column(name = "billed_at")
    public Instant billedAt;

    public boolean answered;

    @Column(name = "price_effective_from")
    public Instant priceEffectiveFrom;

    @Column(name = "price_tier_above_prompt_tokens")
    public Long priceTierAbovePromptTokens;

    @Column(name = "input_usd_per_1m")
    public BigDecimal inputUsdPer1m;

    @Column(name = "cached_input_usd_per_1m")
    public BigDecimal cachedInputUsdPer1m;

    @Column(name = "output_usd_per_1m")
    public BigDecimal outputUsdPer1m;

    /** The 5-minute cache-write rate applied; null on lines billed before it was recorded. */
    @Column(name = "cache_write_5m_usd_per_1m")
    public BigDecimal cacheWrite5mUsdPer1m;

    /** The 1-hour cache-write rate applied; null on lines billed before it was recorded. */
    @Column(name = "cache_write_1h_usd_per_1m")
    public BigDecimal cacheWrite1hUsdPer1m;

    @Column(name = "provider_cost_usd")
    public BigDecimal providerCostUsd;

    @Column(name = "routing_fee_usd")
    public BigDecimal routingFeeUsd;

    @Column(name = "total_usd")
    public BigDecimal totalUsd;

    @Column(name = "client_request_id")
    public String clientRequestId;

    /** The public API's wire name, see {@link Api}. */
    public String api;

    /** Whether the token counts are the provider's own, as a {@link UsageSource} wire name. */
    @Column(name = "usage_source")
    public String usageSource;

    /** First day of the month whose invoice holds this line. */
    @Column(name = "invoice_month")
    public LocalDate invoiceMonth;

    /** First day of the closed month the request ran in, when it was billed late as an adjustment; else null. */
    @Column(name = "adjustment_for")
    public LocalDate adjustmentFor;

    /** The usage event this line was made from, to tell a redelivery from a different event reusing the id. */
    public UsageEvent toEvent() {
        return new UsageEvent(
                eventVersion,
                requestId,
                accountId,
                keyId,
                requestedModel,
                model,
                provider,
                providerModel,
                inputTokens,
                outputTokens,
                cachedTokens,
                latencyMs,
                timeToFirstTokenMs,
                status,
                httpStatus,
                fallbackAttempts,
                streamed,
                occurredAt,
                clientRequestId,
                keyName,
                Api.fromWireName(api),
                UsageSource.fromWireName(usageSource),
                cacheWrite5mTokens,
                cacheWrite1hTokens);
    }
}
