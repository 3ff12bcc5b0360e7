package io.tokenhub.billing.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenhub.service.error.ApiException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerCsvTest {

    @Test
    void quotesCellsThatNeedItAndDisarmsFormulas() {
        assertEquals("plain-id", LedgerCsv.text("plain-id"));
        assertEquals("\"a,b\"", LedgerCsv.text("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", LedgerCsv.text("say \"hi\""));
        assertEquals("'=HYPERLINK(1)", LedgerCsv.text("=HYPERLINK(1)"));
        assertEquals("\"'=SUM(A1,A2)\"", LedgerCsv.text("=SUM(A1,A2)"));
        assertEquals("", LedgerCsv.text(null));
    }

    @Test
    void cursorsRoundTripAndForgedOnesAreRefused() {
        LedgerCursor c = new LedgerCursor(Instant.parse("2026-11-24T10:00:00.123456Z"), 42);
        assertEquals(c, LedgerCursor.decode(c.encode()));
        assertEquals(null, LedgerCursor.decode(null));
        ApiException e = assertThrows(ApiException.class, () -> LedgerCursor.decode("bm9wZQ"));
        assertEquals(400, e.status());
        assertThrows(ApiException.class, () -> LedgerCursor.decode("%%%"));
    }
}
