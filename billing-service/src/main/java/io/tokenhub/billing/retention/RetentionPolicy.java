package io.tokenhub.billing.retention;

import io.tokenhub.billing.BillingConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * How long each account's usage metadata is kept (the default, or the account's own override: one an administrator
 * stored through {@code /api/billing/retention}, else the configured one) and how long closed invoices are kept (the
 * legal keep period, counted from the month's end).
 */
@Singleton
public class RetentionPolicy {

    private final int defaultDays;
    private final Map<String, Integer> configured;
    private volatile Map<String, Integer> overrides;
    private final int invoiceKeepYears;

    @Inject
    public RetentionPolicy(BillingConfig config) {
        this(
                config.retention().defaultDays(),
                config.retention().accounts(),
                config.retention().invoiceKeepYears());
    }

    RetentionPolicy(int defaultDays, Map<String, Integer> overrides, int invoiceKeepYears) {
        if (invoiceKeepYears < 1) {
            throw new IllegalArgumentException("tokenhub.billing.retention.invoice-keep-years must be at least 1");
        }
        if (defaultDays < 1) {
            throw new IllegalArgumentException("tokenhub.billing.retention.default-days must be at least 1");
        }
        overrides.forEach((account, days) -> {
            if (days == null || days < 1) {
                throw new IllegalArgumentException("retention for account " + account + " must be at least 1 day");
            }
        });
        this.defaultDays = defaultDays;
        this.configured = Map.copyOf(overrides);
        this.overrides = this.configured;
        this.invoiceKeepYears = invoiceKeepYears;
    }

    /** Replaces the stored overrides (they win over configured ones); the configured ones stay for other accounts. */
    public void useStored(Map<String, Integer> stored) {
        Map<String, Integer> merged = new HashMap<>(configured);
        merged.putAll(stored);
        this.overrides = Map.copyOf(merged);
    }

    public int daysFor(String account) {
        return overrides.getOrDefault(account, defaultDays);
    }

    /** Lines of {@code account} that ran before this instant are past retention at {@code now}. */
    public Instant cutoff(String account, Instant now) {
        return now.minus(Duration.ofDays(daysFor(account)));
    }

    /**
     * The oldest month whose closed invoice must still be kept at {@code now}: invoices of earlier months ended more
     * than the keep period ago.
     */
    public YearMonth firstInvoiceKept(Instant now) {
        return YearMonth.from(now.atOffset(ZoneOffset.UTC).minusYears(invoiceKeepYears));
    }

    public int invoiceKeepYears() {
        return invoiceKeepYears;
    }

    public int defaultDays() {
        return defaultDays;
    }

    public Map<String, Integer> overrides() {
        return overrides;
    }
}
