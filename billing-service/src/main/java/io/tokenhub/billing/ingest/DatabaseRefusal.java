package io.tokenhub.billing.ingest;

import java.sql.SQLException;

/**
 * Tells a database refusal caused by the data written (retrying the same rows can never succeed) from an outage
 * (retrying later will). Only the first kind is worth splitting a batch over.
 */
final class DatabaseRefusal {

    private static final int MAX_DETAIL = 300;

    private DatabaseRefusal() {}

    /**
     * What PostgreSQL said, when {@code failure} is a refusal of the data: SQLSTATE class 22 (data exception: NUL in
     * text, numeric or timestamp out of range, value too long), 23 (a constraint) or 54 (a row over a program
     * limit). Null for anything else, which is treated as an outage. Only the first line of the server's message is
     * kept: later lines may quote the bound parameters.
     */
    static String detail(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && isDataError(sql.getSQLState())) {
                String message = sql.getMessage() == null
                        ? ""
                        : sql.getMessage().lines().findFirst().orElse("");
                String detail = "PostgreSQL refused the event (SQLSTATE " + sql.getSQLState() + "): " + message;
                return detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "...";
            }
        }
        return null;
    }

    static boolean isDataError(String sqlState) {
        return sqlState != null
                && (sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState.startsWith("54"));
    }
}
