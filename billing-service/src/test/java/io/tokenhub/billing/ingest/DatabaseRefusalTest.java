package io.tokenhub.billing.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseRefusalTest {

    @Test
    void dataErrorsAreRefusalsOfTheEventWithOnlyTheFirstLineOfTheMessage() {
        String first = "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00";
        SQLException nul = new SQLException(first + "\n  Where: unnamed portal parameter $3 = '...'", "22021");
        assertEquals(
                "PostgreSQL refused the event (SQLSTATE 22021): " + first,
                DatabaseRefusal.detail(new RuntimeException("wrapped", new RuntimeException(nul))));
        assertEquals(
                "PostgreSQL refused the event (SQLSTATE 22003): numeric field overflow",
                DatabaseRefusal.detail(new SQLException("numeric field overflow", "22003")));
        assertEquals(
                "PostgreSQL refused the event (SQLSTATE 23514): check",
                DatabaseRefusal.detail(new SQLException("check", "23514")));
        assertEquals(
                "PostgreSQL refused the event (SQLSTATE 54000): too big",
                DatabaseRefusal.detail(new SQLException("too big", "54000")));
    }

    @Test
    void outagesAreNotRefusalsOfTheEvent() {
        assertNull(DatabaseRefusal.detail(new SQLException("connection refused", "08001")));
        assertNull(DatabaseRefusal.detail(new SQLException("deadlock", "40P01")));
        assertNull(DatabaseRefusal.detail(new SQLException("shutting down", "57P01")));
        assertNull(DatabaseRefusal.detail(new SQLException("no state")));
        assertNull(DatabaseRefusal.detail(new IllegalStateException("kafka timeout")));
    }
}
