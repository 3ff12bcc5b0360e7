package io.tokenhub.billing.ledger;

import io.quarkus.panache.common.Parameters;
import io.tokenhub.billing.access.AccountScope;
import io.tokenhub.billing.api.TimeWindow;
import java.util.List;

/** Reads of the ledger, always bounded by an account scope: no query here can reach outside it. */
public final class LedgerQueries {

    private LedgerQueries() {}

    /**
     * The HQL condition (on alias-less {@link LedgerLine} properties) and parameters selecting {@code scope}'s lines
     * in {@code window}.
     */
    public static Filter filter(AccountScope scope, TimeWindow window) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        scope.account().ifPresent(a -> {
            where.append(" and accountId = :account");
            params.and("account", a);
        });
        if (window.from() != null) {
            where.append(" and occurredAt >= :from");
            params.and("from", window.from());
        }
        if (window.to() != null) {
            where.append(" and occurredAt < :to");
            params.and("to", window.to());
        }
        return new Filter(where.toString(), params);
    }

    /**
     * Up to {@code limit} lines older than {@code after} (or the newest when null), newest first; only those with
     * this client correlation id when {@code clientRequestId} is not null.
     */
    public static List<LedgerLine> newestFirst(
            AccountScope scope, TimeWindow window, String clientRequestId, LedgerCursor after, int limit) {
        Filter f = filter(scope, window);
        String where = f.where();
        if (clientRequestId != null) {
            where += " and clientRequestId = :clientRequestId";
            f.params().and("clientRequestId", clientRequestId);
        }
        if (after != null) {
            where += " and (occurredAt < :cursorAt or (occurredAt = :cursorAt and id < :cursorId))";
            f.params().and("cursorAt", after.occurredAt()).and("cursorId", after.id());
        }
        return LedgerLine.find(where + " order by occurredAt desc, id desc", f.params())
                .page(0, limit)
                .list();
    }

    /** Up to {@code limit} lines after {@code after} (or the oldest when null), oldest first: for exports. */
    public static List<LedgerLine> oldestFirst(AccountScope scope, TimeWindow window, LedgerCursor after, int limit) {
        Filter f = filter(scope, window);
        String where = f.where();
        if (after != null) {
            where += " and (occurredAt > :cursorAt or (occurredAt = :cursorAt and id > :cursorId))";
            f.params().and("cursorAt", after.occurredAt()).and("cursorId", after.id());
        }
        return LedgerLine.find(where + " order by occurredAt asc, id asc", f.params())
                .page(0, limit)
                .list();
    }

    /** Lines with this request id inside the scope: at most one per account. */
    public static List<LedgerLine> byRequestId(AccountScope scope, String requestId) {
        Filter f = filter(scope, new TimeWindow(null, null));
        f.params().and("requestId", requestId);
        return LedgerLine.find(f.where() + " and requestId = :requestId order by accountId", f.params())
                .list();
    }

    /**
     * A where clause and its parameters.
     *
     * @param where HQL condition
     * @param params its named parameters
     */
    public record Filter(String where, Parameters params) {}
}
