package io.tokenhub.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void keepsSaneClientIdsAsCorrelationAndDropsOthers() {
        assertEquals("client-trace_42:a.b", RequestIds.correlation("client-trace_42:a.b"));
        for (String insane :
                new String[] {null, "", "has space", "x".repeat(129), "semi;colon", "new\nline", "<script>"}) {
            assertNull(RequestIds.correlation(insane), insane);
        }
    }

    @Test
    void madeIdsAreUniqueAndSortByTime() throws InterruptedException {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(seen.add(RequestIds.create()));
        }
        String earlier = RequestIds.create();
        Thread.sleep(3);
        String later = RequestIds.create();
        assertTrue(earlier.substring(0, 14).compareTo(later.substring(0, 14)) < 0, earlier + " vs " + later);
    }
}
