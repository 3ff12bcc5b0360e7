package io.tokenhub.billing.invoice;

import io.tokenhub.billing.usage.UsageAmounts;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * The SQL of invoice lines. An open invoice is summed live from the ledger and a closed one was summed by the very
 * same select when it closed, so closing cannot change a figure.
 */
final class InvoiceRows {

    /** One line per model and provider; adjustments apart, per month they ran in. */
    static final String LINE_GROUP = "model, provider, adjustment_for";

    /** The amounts of a group of ledger lines, in {@link UsageAmounts}' order. */
    static final String AMOUNTS = "count(*), sum(case when answered then 1 else 0 end), sum(input_tokens), "
            + "sum(cached_tokens), sum(cache_write_5m_tokens), sum(cache_write_1h_tokens), sum(output_tokens), "
            + "sum(provider_cost_usd), sum(routing_fee_usd), sum(total_usd)";

    /** The amount columns of {@code billing.invoice} and {@code billing.invoice_line}, in the same order. */
    static final String AMOUNT_COLUMNS = "request_count, answered_request_count, input_tokens, cached_tokens, "
            + "cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, provider_cost_usd, routing_fee_usd, "
            + "total_usd";

    private static final String ORDER = " order by model nulls first, provider nulls first, adjustment_for nulls first";

    private InvoiceRows() {}

    /** An open month's lines for the account, summed from the ledger now. */
    static List<InvoiceResource.InvoiceLine> live(EntityManager em, String account, YearMonth month) {
        return lines(
                em,
                "select " + LINE_GROUP + ", " + AMOUNTS + " from billing.usage_ledger"
                        + " where account_id = ?1 and invoice_month = ?2 group by " + LINE_GROUP + ORDER,
                account,
                month);
    }

    /** A closed month's lines for the account, as they were snapshotted. */
    static List<InvoiceResource.InvoiceLine> closed(EntityManager em, String account, YearMonth month) {
        return lines(
                em,
                "select " + LINE_GROUP + ", " + AMOUNT_COLUMNS + " from billing.invoice_line"
                        + " where account_id = ?1 and period = ?2" + ORDER,
                account,
                month);
    }

    /** A closed month's totals for the account, as they were snapshotted; zero when it had no usage. */
    static UsageAmounts closedTotal(EntityManager em, String account, YearMonth month) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select " + AMOUNT_COLUMNS + " from billing.invoice where account_id = ?1 and period = ?2")
                .setParameter(1, account)
                .setParameter(2, month.atDay(1))
                .getResultList();
        return rows.isEmpty() ? UsageAmounts.ZERO : amounts(rows.get(0), 0);
    }

    private static List<InvoiceResource.InvoiceLine> lines(
            EntityManager em, String sql, String account, YearMonth month) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(sql)
                .setParameter(1, account)
                .setParameter(2, month.atDay(1))
                .getResultList();
        return rows.stream()
                .map(r -> new InvoiceResource.InvoiceLine((String) r[0], (String) r[1], period(r[2]), amounts(r, 3)))
                .toList();
    }

    /** The ten amount columns starting at {@code from}. */
    static UsageAmounts amounts(Object[] row, int from) {
        return new UsageAmounts(
                count(row[from]),
                count(row[from + 1]),
                count(row[from + 2]),
                count(row[from + 3]),
                count(row[from + 4]),
                count(row[from + 5]),
                count(row[from + 6]),
                (BigDecimal) row[from + 7],
                (BigDecimal) row[from + 8],
                (BigDecimal) row[from + 9]);
    }

    /** A DATE column holding a month's first day, as {@code yyyy-mm}; null stays null. */
    static String period(Object date) {
        if (date == null) {
            return null;
        }
        LocalDate day = date instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) date;
        return YearMonth.from(day).toString();
    }

    // PostgreSQL sums BIGINT into NUMERIC and counts into BIGINT: both are whole numbers here.
    private static long count(Object value) {
        return ((Number) value).longValue();
    }
}
