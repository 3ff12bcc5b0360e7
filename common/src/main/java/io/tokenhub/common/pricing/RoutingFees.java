package io.tokenhub.common.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The routing fee over time, chosen by when a request ran exactly as catalog prices are: each fee is in force from its
 * instant until the next one takes over, so a fee change never rewrites the cost of requests that ran before it. The
 * fee of {@code tokenhub.billing.routing-fee-usd} is in force since the epoch; {@code tokenhub.billing.routing-fees}
 * adds dated ones. billing-service and routing-service both read them through this class, so the ledger line and the
 * caller's {@code usage.cost} pick the same fee.
 */
public final class RoutingFees {

    /** The single-fee key, which names the fee in force since the epoch. */
    public static final String SINCE_EPOCH_KEY = "tokenhub.billing.routing-fee-usd";

    /** The dated-fee key. */
    public static final String DATED_KEY = "tokenhub.billing.routing-fees";

    /**
     * A fee that takes effect at an instant, as both services' configuration names it
     * ({@code tokenhub.billing.routing-fees[i].effective-from} and {@code .usd}).
     */
    public interface Dated {

        /** First instant at which this fee applies, ISO-8601 (e.g. 2027-01-01T00:00:00Z). */
        Instant effectiveFrom();

        /** US dollars charged once per answered request from then on; at most 8 decimals. */
        BigDecimal usd();
    }

    /**
     * One entry of the schedule.
     *
     * @param effectiveFrom first instant at which {@code usd} applies
     * @param usd the fee per answered request, as a ledger amount
     */
    public record Entry(Instant effectiveFrom, BigDecimal usd) {}

    private final List<Entry> schedule;

    /**
     * The fee {@code sinceEpoch} and the {@code dated} ones after it; refuses a negative fee, one with more than
     * {@value Money#SCALE} decimals, and two fees taking effect at the same instant.
     */
    public RoutingFees(BigDecimal sinceEpoch, List<? extends Dated> dated) {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(Instant.EPOCH, Money.exact(sinceEpoch, SINCE_EPOCH_KEY)));
        Set<Instant> starts = new HashSet<>();
        starts.add(Instant.EPOCH);
        for (Dated d : dated) {
            if (d.effectiveFrom() == null || !starts.add(d.effectiveFrom())) {
                throw new IllegalArgumentException(DATED_KEY + ": two routing fees take effect at " + d.effectiveFrom()
                        + " (the single " + SINCE_EPOCH_KEY + " is the one in force since the epoch)");
            }
            entries.add(new Entry(d.effectiveFrom(), Money.exact(d.usd(), DATED_KEY + " at " + d.effectiveFrom())));
        }
        entries.sort(Comparator.comparing(Entry::effectiveFrom));
        this.schedule = List.copyOf(entries);
    }

    /** One fee for all time, as before fees had dates. */
    public static RoutingFees flat(BigDecimal usd) {
        return new RoutingFees(usd, List.of());
    }

    /** The fee in force at {@code at}: the latest entry that took effect at or before it. */
    public BigDecimal at(Instant at) {
        Entry found = schedule.get(0);
        for (Entry e : schedule) {
            if (!e.effectiveFrom().isAfter(at)) {
                found = e;
            }
        }
        return found.usd();
    }

    /** Every fee, oldest first; the first is in force since the epoch. */
    public List<Entry> schedule() {
        return schedule;
    }
}
