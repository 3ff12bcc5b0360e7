package io.tokenhub.billing.ingest;

import io.tokenhub.billing.invoice.ClosedMonths;
import io.tokenhub.billing.ledger.LedgerLine;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.pricing.Charge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;

/**
 * Writes a batch of priced events in one transaction with multi-row {@code INSERT ... ON CONFLICT DO NOTHING}: the
 * unique constraint on (account, request id), not a lookup, is what keeps a redelivered event from billing twice,
 * so two consumers racing on the same event cannot both win. The ledger's insert trigger adds the rows actually
 * inserted, and only those, to the accounts' running totals in the same statement (migration V10).
 */
@ApplicationScoped
public class LedgerWriter {

    /** 38 parameters a row keeps one statement well under PostgreSQL's 32767-parameter limit. */
    private static final int ROWS_PER_STATEMENT = 500;

    private static final String COLUMNS = "account_id, request_id, key_id, key_name, requested_model, model, provider, "
            + "provider_model, input_tokens, output_tokens, cached_tokens, latency_ms, time_to_first_token_ms, "
            + "status, http_status, fallback_attempts, streamed, event_version, occurred_at, usage_day, answered, "
            + "price_effective_from, price_tier_above_prompt_tokens, input_usd_per_1m, cached_input_usd_per_1m, "
            + "output_usd_per_1m, provider_cost_usd, routing_fee_usd, total_usd, client_request_id, api, usage_source, "
            + "cache_write_5m_tokens, cache_write_1h_tokens, cache_write_5m_usd_per_1m, cache_write_1h_usd_per_1m, "
            + "invoice_month, adjustment_for, billed_at";
    private static final String ROW = "(" + "?, ".repeat(38) + "now())";

    private final EntityManager em;

    public LedgerWriter(EntityManager em) {
        this.em = em;
    }

    /**
     * What became of a batch.
     *
     * @param billed lines written now
     * @param duplicates events already billed with the same content (redeliveries)
     * @param conflicting events whose id was billed with other content: never billed, dead-lettered instead
     */
    record StoreResult(int billed, int duplicates, List<PricedEvent> conflicting) {

        static final StoreResult NONE = new StoreResult(0, 0, List.of());

        StoreResult plus(StoreResult o) {
            List<PricedEvent> both = new ArrayList<>(conflicting);
            both.addAll(o.conflicting);
            return new StoreResult(billed + o.billed, duplicates + o.duplicates, both);
        }
    }

    /**
     * Bills {@code events} in one transaction, each on the invoice of its month, or, when that month has closed, on
     * the open month of {@code now} as an adjustment.
     */
    @Transactional
    StoreResult store(List<PricedEvent> events, Instant now) {
        Map<PricedEvent.LineKey, PricedEvent> firsts = new LinkedHashMap<>();
        List<PricedEvent> repeats = new ArrayList<>();
        for (PricedEvent e : events) {
            if (firsts.putIfAbsent(e.key(), e) != null) {
                repeats.add(e);
            }
        }
        Set<PricedEvent.LineKey> inserted = insert(new ArrayList<>(firsts.values()), now);
        List<PricedEvent> skipped = new ArrayList<>(repeats);
        firsts.values().stream().filter(e -> !inserted.contains(e.key())).forEach(skipped::add);
        if (skipped.isEmpty()) {
            return new StoreResult(inserted.size(), 0, List.of());
        }
        Map<PricedEvent.LineKey, UsageEvent> stored = storedEvents(skipped);
        int duplicates = 0;
        List<PricedEvent> conflicting = new ArrayList<>();
        for (PricedEvent e : skipped) {
            if (e.event().equals(stored.get(e.key()))) {
                duplicates++;
            } else {
                conflicting.add(e);
            }
        }
        return new StoreResult(inserted.size(), duplicates, conflicting);
    }

    private Set<PricedEvent.LineKey> insert(List<PricedEvent> events, Instant now) {
        Set<PricedEvent.LineKey> inserted = new HashSet<>();
        em.unwrap(Session.class).doWork(connection -> {
            ClosedMonths.lockShared(connection);
            // Read under the lock: no month can close until this transaction ends, so the answer holds until commit.
            YearMonth lastClosed = ClosedMonths.lastClosed(connection);
            for (int from = 0; from < events.size(); from += ROWS_PER_STATEMENT) {
                insertChunk(
                        connection,
                        events.subList(from, Math.min(events.size(), from + ROWS_PER_STATEMENT)),
                        lastClosed,
                        now,
                        inserted);
            }
        });
        return inserted;
    }

    private static void insertChunk(
            Connection connection,
            List<PricedEvent> chunk,
            YearMonth lastClosed,
            Instant now,
            Set<PricedEvent.LineKey> inserted)
            throws SQLException {
        String sql = "INSERT INTO billing.usage_ledger (" + COLUMNS + ") VALUES "
                + String.join(", ", Collections.nCopies(chunk.size(), ROW))
                + " ON CONFLICT (account_id, request_id) DO NOTHING RETURNING account_id, request_id";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            for (PricedEvent pe : chunk) {
                i = bind(ps, i, pe.event(), pe.charge());
                ClosedMonths.Placement placement = ClosedMonths.place(pe.event().occurredAt(), lastClosed, now);
                ps.setObject(i++, placement.invoiceMonth().atDay(1));
                ps.setObject(
                        i++,
                        placement.adjustmentFor() == null
                                ? null
                                : placement.adjustmentFor().atDay(1),
                        Types.DATE);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(new PricedEvent.LineKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
    }

    private static int bind(PreparedStatement ps, int i, UsageEvent e, Charge c) throws SQLException {
        ps.setString(i++, e.accountId());
        ps.setString(i++, e.requestId());
        text(ps, i++, e.keyId());
        text(ps, i++, e.keyName());
        text(ps, i++, e.requestedModel());
        text(ps, i++, e.model());
        text(ps, i++, e.provider());
        text(ps, i++, e.providerModel());
        ps.setLong(i++, e.inputTokens());
        ps.setLong(i++, e.outputTokens());
        ps.setLong(i++, e.cachedTokens());
        ps.setLong(i++, e.latencyMs());
        number(ps, i++, e.timeToFirstTokenMs());
        ps.setString(i++, e.status().name());
        ps.setInt(i++, e.httpStatus());
        ps.setInt(i++, e.fallbackAttempts());
        ps.setBoolean(i++, e.streamed());
        ps.setInt(i++, e.eventVersion());
        timestamp(ps, i++, e.occurredAt());
        ps.setObject(i++, LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC));
        ps.setBoolean(i++, c.answered());
        timestamp(ps, i++, c.priceEffectiveFrom());
        boolean priced = c.rates() != null;
        number(ps, i++, priced && c.rates().tiered() ? c.rates().abovePromptTokens() : null);
        decimal(ps, i++, priced ? c.rates().inputPerMillion() : null);
        decimal(ps, i++, priced ? c.rates().cachedInputPerMillion() : null);
        decimal(ps, i++, priced ? c.rates().outputPerMillion() : null);
        ps.setBigDecimal(i++, c.providerCostUsd());
        ps.setBigDecimal(i++, c.routingFeeUsd());
        ps.setBigDecimal(i++, c.totalUsd());
        text(ps, i++, e.clientRequestId());
        ps.setString(i++, e.api().wireName());
        ps.setString(i++, e.usageSource().wireName());
        ps.setLong(i++, e.cacheWrite5mTokens());
        ps.setLong(i++, e.cacheWrite1hTokens());
        decimal(ps, i++, priced ? c.rates().cacheWrite5mPerMillion() : null);
        decimal(ps, i++, priced ? c.rates().cacheWrite1hPerMillion() : null);
        return i;
    }

    private Map<PricedEvent.LineKey, UsageEvent> storedEvents(List<PricedEvent> events) {
        Set<String> requestIds = new HashSet<>();
        events.forEach(e -> requestIds.add(e.event().requestId()));
        Map<PricedEvent.LineKey, UsageEvent> stored = new HashMap<>();
        List<LedgerLine> lines = LedgerLine.list("requestId in ?1", requestIds);
        for (LedgerLine line : lines) {
            stored.put(new PricedEvent.LineKey(line.accountId, line.requestId), line.toEvent());
        }
        return stored;
    }

    private static void text(PreparedStatement ps, int i, String value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, value);
        }
    }

    private static void number(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, value);
        }
    }

    private static void decimal(PreparedStatement ps, int i, BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.NUMERIC);
        } else {
            ps.setBigDecimal(i, value);
        }
    }

    private static void timestamp(PreparedStatement ps, int i, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }
}
