package io.tokenhub.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.pricing.RoutingFees;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Billing rules and housekeeping, under {@code tokenhub.billing}. */
@ConfigMapping(prefix = "tokenhub.billing")
public interface BillingConfig {

    /**
     * US dollars charged once per answered request on top of the provider cost, in force since the epoch until the
     * first of {@link #routingFees()}; at most 8 decimals.
     */
    @WithDefault("0.0001")
    BigDecimal routingFeeUsd();

    /** Later routing fees, each in force from its instant until the next; the same list as routing-service's. */
    List<RoutingFees.Dated> routingFees();

    /**
     * How far ahead of billing's clock a usage event may be dated before it is dead-lettered as {@code future_event}.
     */
    @WithDefault("5m")
    Duration maxClockSkew();

    /** How long after a UTC month ends its invoice is closed; events for it arriving later become adjustments. */
    @WithDefault("3d")
    Duration invoiceCloseGrace();

    /** Interval between runs of the job that closes months past their grace period ({@code off} stops it). */
    @WithDefault("15m")
    String invoiceCloseEvery();

    /** Topic that receives usage events billing cannot bill, with the reason in a header. */
    @WithDefault(Topics.USAGE_DEAD_LETTER)
    String deadLetterTopic();

    /** How long usage metadata is kept, and how often old lines are purged. */
    Retention retention();

    /** How the usage consumer reacts when PostgreSQL refuses a batch. */
    Store store();

    /** Interval between publications of changed accounts' monthly spend to the gateway (topic tokenhub.spend). */
    @WithDefault("1s")
    String spendPublishEvery();

    interface Retention {

        /** Days a ledger line is kept after the request ran, for accounts without an override. */
        @WithDefault("400")
        int defaultDays();

        /** Per-account overrides in days, e.g. {@code tokenhub.billing.retention.accounts."acme"=2555}. */
        Map<String, Integer> accounts();

        /** Years a closed invoice is kept after its month ends (the legal keep period); at least 1. */
        @WithDefault("7")
        int invoiceKeepYears();

        /** Interval between purge runs. */
        @WithDefault("1h")
        Duration purgeEvery();

        /** Lines deleted per statement, so a purge never holds long locks. */
        @WithDefault("5000")
        int purgeChunk();
    }

    interface Store {

        /** First pause before retrying a batch the database refused; doubles up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest pause between retries of a refused batch. */
        @WithDefault("30s")
        Duration maxBackoff();
    }
}
