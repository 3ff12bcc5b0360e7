package io.tokenhub.dashboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenhub.service.error.ApiException;
import org.junit.jupiter.api.Test;

class SupportTextTest {

    @Test
    void aMessageIsTrimmedAndLimitedWithoutEchoingIt() {
        assertEquals("<b>hi</b>", SupportText.body("  <b>hi</b>\n"));
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> SupportText.body("  ")).status());
        String tooLong = "x".repeat(SupportText.MAX_BODY + 1);
        ApiException e = assertThrows(ApiException.class, () -> SupportText.body(tooLong));
        assertEquals(400, e.status());
        assertFalse(e.getMessage().contains("xxxx"), "the refusal never repeats the text");
        assertEquals(
                SupportText.MAX_BODY,
                SupportText.body("y".repeat(SupportText.MAX_BODY)).length());
    }

    @Test
    void anAttachedRequestIdMustBeASaneToken() {
        assertNull(SupportText.requestId(null));
        assertNull(SupportText.requestId(" "));
        assertEquals("req_01J.abc:1-2", SupportText.requestId(" req_01J.abc:1-2 "));
        assertThrows(ApiException.class, () -> SupportText.requestId("<script>"));
        assertThrows(ApiException.class, () -> SupportText.requestId("a".repeat(129)));
    }

    @Test
    void aMemberWritesToItsOwnAccountOnlyAndAnAdminToTheNamedOne() {
        assertEquals("demo", SupportSocket.target("demo", false, ""));
        assertEquals("demo", SupportSocket.target("demo", false, "demo"));
        assertEquals(
                403,
                assertThrows(ApiException.class, () -> SupportSocket.target("other", false, "demo"))
                        .status());
        assertEquals("other", SupportSocket.target("demo", true, "other"));
        assertThrows(ApiException.class, () -> SupportSocket.target("demo", true, ""));
    }
}
