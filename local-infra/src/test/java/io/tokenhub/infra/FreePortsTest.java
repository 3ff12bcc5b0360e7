package io.tokenhub.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /**
     * A suite takes its ports before any is bound, so a port handed out twice is a service that cannot start. 2,000
     * draws from the 12,000 ports the range holds would repeat some 160 times if each were drawn on its own.
     */
    @Test
    void noPortIsHandedOutTwice() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            ports.add(FreePorts.next());
        }
        assertEquals(2_000, ports.size());
    }
}
