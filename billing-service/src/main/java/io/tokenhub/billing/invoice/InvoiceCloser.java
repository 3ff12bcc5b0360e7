package io.tokenhub.billing.invoice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tokenhub.billing.BillingConfig;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * Closes each month's invoices once the month ended {@code tokenhub.billing.invoice-close-grace} ago: copies every
 * account's lines and totals into {@code billing.invoice} and {@code billing.invoice_line}, which are never written
 * again. Safe on several replicas: each month closes in one transaction under an exclusive advisory lock, after
 * re-reading which months are closed, and {@code closed_period}'s primary key refuses a second close anyway.
 */
@Singleton
public class InvoiceCloser {

    private final EntityManager em;
    private final Duration grace;
    private final Counter closedMonths;

    public InvoiceCloser(EntityManager em, BillingConfig config, MeterRegistry registry) {
        this.em = em;
        if (config.invoiceCloseGrace().isNegative()) {
            // A negative grace would close a month before it ended, and bill the rest of it as adjustments.
            throw new IllegalArgumentException("tokenhub.billing.invoice-close-grace must not be negative");
        }
        this.grace = config.invoiceCloseGrace();
        this.closedMonths = Counter.builder("tokenhub.billing.invoice.months.closed")
                .description("Months whose invoices were closed")
                .register(registry);
    }

    @Scheduled(
            every = "${tokenhub.billing.invoice-close-every}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        closeDue(Instant.now());
    }

    /** Closes, oldest first, every month due at {@code now} and not closed yet; returns the months this call closed. */
    public List<YearMonth> closeDue(Instant now) {
        YearMonth last = ClosedMonths.lastClosable(now, grace);
        List<YearMonth> closed = new ArrayList<>();
        while (true) {
            YearMonth month = QuarkusTransaction.requiringNew()
                    .call(() -> em.unwrap(Session.class).doReturningWork(c -> closeNext(c, last)));
            if (month == null) {
                return closed;
            }
            closed.add(month);
            closedMonths.increment();
            Log.infof("closed the invoices of %s", month);
        }
    }

    /** Closes the oldest open month if it is due by {@code last}; null when there is none. */
    private static YearMonth closeNext(Connection c, YearMonth last) throws SQLException {
        ClosedMonths.lockExclusive(c);
        YearMonth lastClosed = ClosedMonths.lastClosed(c);
        YearMonth next = lastClosed != null ? lastClosed.plusMonths(1) : firstToClose(c, last);
        if (next.isAfter(last)) {
            return null;
        }
        LocalDate period = next.atDay(1);
        String mark = "insert into billing.closed_period (period, closed_at) values (?, now()) on conflict do nothing";
        if (update(c, mark, period) == 0) {
            return null;
        }
        update(
                c,
                "insert into billing.invoice (account_id, period, closed_at, " + InvoiceRows.AMOUNT_COLUMNS + ")"
                        + " select account_id, invoice_month, now(), " + InvoiceRows.AMOUNTS
                        + " from billing.usage_ledger where invoice_month = ? group by account_id, invoice_month",
                period);
        update(
                c,
                "insert into billing.invoice_line (account_id, period, " + InvoiceRows.LINE_GROUP + ", "
                        + InvoiceRows.AMOUNT_COLUMNS + ") select account_id, invoice_month, " + InvoiceRows.LINE_GROUP
                        + ", " + InvoiceRows.AMOUNTS + " from billing.usage_ledger where invoice_month = ?"
                        + " group by account_id, invoice_month, " + InvoiceRows.LINE_GROUP,
                period);
        return next;
    }

    /** The first close ever starts at the oldest month with lines, so no month with usage is skipped. */
    private static YearMonth firstToClose(Connection c, YearMonth last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select min(invoice_month) from billing.usage_ledger");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            LocalDate oldest = rs.getObject(1, LocalDate.class);
            // With no usage up to the last due month, that month alone closes and sets the watermark.
            return oldest == null || YearMonth.from(oldest).isAfter(last) ? last : YearMonth.from(oldest);
        }
    }

    private static int update(Connection c, String sql, LocalDate period) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, period);
            return ps.executeUpdate();
        }
    }
}
