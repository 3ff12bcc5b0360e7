package io.tokenhub.routing.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-flight count alone: the limit holds, a slot comes back once however often its end is reported. */
class AdmissionTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void refusesPastTheLimitAndCountsTheRefusal() {
        Admission admission = new Admission(2, registry);

        assertNotNull(admission.acquire());
        assertNotNull(admission.acquire());
        assertNull(admission.acquire());

        assertEquals(2, inFlight());
        assertEquals(
                1, registry.get("tokenhub_admission_refused_total").counter().count());
        assertEquals(2, registry.get("tokenhub_in_flight_limit").gauge().value());
    }

    @Test
    void aSlotEndedTwiceComesBackOnce() {
        Admission admission = new Admission(2, registry);
        Admission.Slot slot = admission.acquire();
        admission.acquire();

        // The response's end, then its connection's close: the second must not free another request's slot.
        slot.handle(Future.succeededFuture());
        slot.handle(Future.failedFuture("Connection closed"));

        assertEquals(1, inFlight());
        assertNotNull(admission.acquire());
        assertNull(admission.acquire());
    }

    @Test
    void racingThreadsNeverPassTheLimitAndLeaveNothingTaken() throws Exception {
        int limit = 3;
        Admission admission = new Admission(limit, registry);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int t = 0; t < 8; t++) {
                threads.execute(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        Admission.Slot slot = admission.acquire();
                        if (slot != null) {
                            mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                            held.decrementAndGet();
                            slot.handle(Future.succeededFuture());
                        }
                    }
                });
            }
        } finally {
            threads.shutdown();
            assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertTrue(mostHeld.get() <= limit, "held " + mostHeld.get() + " at once");
        assertEquals(0, inFlight());
    }

    private double inFlight() {
        return registry.get("tokenhub_in_flight_requests").gauge().value();
    }
}
