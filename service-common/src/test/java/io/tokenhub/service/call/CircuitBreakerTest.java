package io.tokenhub.service.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final Duration DELAY = Duration.ofSeconds(10);

    private long now = 1_000;
    private final AtomicInteger calls = new AtomicInteger();

    private CircuitBreaker breaker(int volume, double ratio, int successThreshold) {
        return new CircuitBreaker(
                "test", volume, ratio, DELAY, successThreshold, IllegalStateException.class::isInstance, () -> now);
    }

    private Future<String> ok(CircuitBreaker breaker) {
        return breaker.call(() -> {
            calls.incrementAndGet();
            return Future.succeededFuture("ok");
        });
    }

    private Future<String> fail(CircuitBreaker breaker) {
        return breaker.call(() -> {
            calls.incrementAndGet();
            return Future.failedFuture(new ConnectException("refused"));
        });
    }

    @Test
    void opensOnlyOnceTheWindowIsFullAndTheRatioReached() {
        CircuitBreaker breaker = breaker(4, 0.5, 1);
        fail(breaker);
        fail(breaker);
        fail(breaker);
        assertFalse(breaker.isOpen(), "three calls are fewer than the window of four");
        ok(breaker);
        assertTrue(breaker.isOpen(), "3 of the last 4 failed");
        calls.set(0);
        Future<String> refused = ok(breaker);
        assertInstanceOf(CircuitBreaker.OpenException.class, refused.cause());
        assertEquals(0, calls.get(), "an open breaker does not call");
    }

    @Test
    void staysClosedBelowTheRatioAndTheWindowRolls() {
        CircuitBreaker breaker = breaker(4, 0.75, 1);
        fail(breaker);
        fail(breaker);
        ok(breaker);
        ok(breaker);
        assertFalse(breaker.isOpen(), "2 of 4 is below 0.75");
        fail(breaker);
        assertFalse(breaker.isOpen(), "the window is now fail ok ok fail: 2 of 4");
        fail(breaker);
        assertFalse(breaker.isOpen(), "ok ok fail fail: 2 of 4");
        fail(breaker);
        assertTrue(breaker.isOpen(), "ok fail fail fail: 3 of 4");
    }

    @Test
    void neutralFailuresAreNotCounted() {
        CircuitBreaker breaker = breaker(2, 0.5, 1);
        for (int i = 0; i < 10; i++) {
            breaker.call(() -> Future.failedFuture(new IllegalStateException("pool full")));
        }
        assertFalse(breaker.isOpen());
        ok(breaker);
        fail(breaker);
        assertTrue(breaker.isOpen());
    }

    @Test
    void halfOpenAfterTheDelayLetsTrialsThroughAndClosesOnTheirSuccess() {
        CircuitBreaker breaker = breaker(2, 1.0, 2);
        fail(breaker);
        fail(breaker);
        assertTrue(breaker.isOpen());
        now += DELAY.toNanos() - 1;
        assertInstanceOf(CircuitBreaker.OpenException.class, ok(breaker).cause());
        now += 1;
        assertFalse(breaker.isOpen());
        Promise<String> first = Promise.promise();
        Promise<String> second = Promise.promise();
        breaker.call(first::future);
        breaker.call(second::future);
        assertInstanceOf(CircuitBreaker.OpenException.class, ok(breaker).cause(), "two trials are in flight: no third");
        first.complete("ok");
        second.complete("ok");
        calls.set(0);
        fail(breaker);
        assertFalse(breaker.isOpen(), "closed again, with an empty window: one failure of two cannot open it");
        assertEquals(1, calls.get());
    }

    @Test
    void aFailedTrialOpensItAgainForAnotherDelay() {
        CircuitBreaker breaker = breaker(1, 1.0, 1);
        fail(breaker);
        now += DELAY.toNanos();
        fail(breaker);
        assertTrue(breaker.isOpen());
        now += DELAY.toNanos() / 2;
        assertTrue(breaker.isOpen(), "the delay counts from the failed trial");
    }

    @Test
    void aCallAdmittedBeforeTheBreakerOpenedDoesNotCloseIt() {
        CircuitBreaker breaker = breaker(2, 1.0, 1);
        Promise<String> slow = Promise.promise();
        breaker.call(slow::future);
        fail(breaker);
        fail(breaker);
        assertTrue(breaker.isOpen());
        now += DELAY.toNanos();
        Promise<String> trial = Promise.promise();
        breaker.call(trial::future);
        slow.complete("late");
        assertInstanceOf(
                CircuitBreaker.OpenException.class, ok(breaker).cause(), "the late answer was not the trial's");
        trial.complete("ok");
        assertEquals("ok", ok(breaker).result());
    }

    @Test
    void aNeutralTrialGivesItsSlotBack() {
        CircuitBreaker breaker = breaker(1, 1.0, 1);
        fail(breaker);
        now += DELAY.toNanos();
        breaker.call(() -> Future.failedFuture(new IllegalStateException("pool full")));
        calls.set(0);
        assertEquals("ok", ok(breaker).result());
        assertEquals(1, calls.get());
    }
}
