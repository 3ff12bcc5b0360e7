package io.tokenhub.billing.invoice;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The closing rule: which months are closed, and on which month's invoice a request is billed. Months close in order
 * for every account at once, so "closed" is one watermark, the newest row of {@code billing.closed_period}.
 */
public final class ClosedMonths {

    /**
     * PostgreSQL advisory lock key. Ingest holds it shared for each batch's transaction and closing holds it
     * exclusively, so a month can never close between a batch reading it open and committing a line into it (such a
     * line would be on no invoice at all).
     */
    private static final long LOCK = 7_416_027_005_216L;

    private ClosedMonths() {}

    /** Taken by every ledger write, in its transaction; released at commit or rollback. */
    public static void lockShared(Connection connection) throws SQLException {
        lock(connection, "select pg_advisory_xact_lock_shared(?)");
    }

    /** Taken by closing, in its transaction: waits for batches being written, and for another replica closing. */
    static void lockExclusive(Connection connection) throws SQLException {
        lock(connection, "select pg_advisory_xact_lock(?)");
    }

    private static void lock(Connection connection, String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, LOCK);
            ps.execute();
        }
    }

    /** The newest closed month, or null when none has closed yet. */
    public static YearMonth lastClosed(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select max(period) from billing.closed_period");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            LocalDate period = rs.getObject(1, LocalDate.class);
            return period == null ? null : YearMonth.from(period);
        }
    }

    /** The newest month whose invoice is due to close at {@code now}: it ended at least {@code grace} ago. */
    static YearMonth lastClosable(Instant now, Duration grace) {
        return YearMonth.from(now.minus(grace).atOffset(ZoneOffset.UTC)).minusMonths(1);
    }

    /**
     * Where a request that ran at {@code occurredAt}, billed at {@code now}, belongs: its own UTC month while that is
     * open; once that month is closed, the open month of {@code now} (never a closed one) as an adjustment.
     */
    public static Placement place(Instant occurredAt, YearMonth lastClosed, Instant now) {
        YearMonth ran = YearMonth.from(occurredAt.atOffset(ZoneOffset.UTC));
        if (lastClosed == null || ran.isAfter(lastClosed)) {
            return new Placement(ran, null);
        }
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        YearMonth firstOpen = lastClosed.plusMonths(1);
        return new Placement(current.isAfter(firstOpen) ? current : firstOpen, ran);
    }

    /**
     * The invoice a ledger line goes on.
     *
     * @param invoiceMonth the month whose invoice holds the line
     * @param adjustmentFor the closed month the request ran in, for a late event; null otherwise
     */
    public record Placement(YearMonth invoiceMonth, YearMonth adjustmentFor) {}
}
