package io.tokenhub.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The bounds on key lookups: concurrency, queue and wait, each answered with a timeout once passed. */
class KeyLookupsTest {

    @Test
    void aLookupWithRoomRunsAndAnswers() throws Exception {
        try (KeyLookups lookups = new KeyLookups(1, 1, Duration.ofSeconds(5))) {
            assertEquals("found", lookups.submit(() -> "found").get(5, TimeUnit.SECONDS));
            CompletableFuture<String> failing = lookups.submit(() -> {
                throw new IllegalStateException("database down");
            });
            assertInstanceOf(IllegalStateException.class, cause(failing));
        }
    }

    @Test
    void pastTheRunningAndWaitingBoundsALookupIsRefusedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        Supplier<String> blocked = () -> {
            ran.incrementAndGet();
            await(release);
            return "done";
        };
        try (KeyLookups lookups = new KeyLookups(2, 3, Duration.ofSeconds(30))) {
            List<CompletableFuture<String>> admitted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                admitted.add(lookups.submit(blocked));
            }
            long start = System.nanoTime();
            CompletableFuture<String> refused = lookups.submit(blocked);
            assertTrue(refused.isCompletedExceptionally(), "the sixth finds no room and is refused without waiting");
            assertEquals(KeyLookups.Busy.class, cause(refused).getClass());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
            assertTrue(ran.get() <= 2, ran.get() + " lookups ran at once");
            release.countDown();
            for (CompletableFuture<String> lookup : admitted) {
                assertEquals("done", lookup.get(5, TimeUnit.SECONDS));
            }
            assertEquals(5, ran.get());
        }
    }

    @Test
    void aLookupThatWaitsTooLongIsRefusedAndNeverRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try (KeyLookups lookups = new KeyLookups(1, 10, Duration.ofMillis(200))) {
            CompletableFuture<String> slow = lookups.submit(() -> {
                await(release);
                return "slow";
            });
            CompletableFuture<String> queued = lookups.submit(() -> {
                ran.incrementAndGet();
                return "queued";
            });
            // Unwrapped, which is what keeps Caffeine from logging each one.
            assertEquals(TimeoutException.class, cause(slow).getClass(), "the running one times out");
            assertEquals(TimeoutException.class, cause(queued).getClass(), "so does the one waiting behind it");
            release.countDown();
            // The slot is free again: a new lookup runs, and the one given up on was skipped rather than run.
            assertEquals("next", lookups.submit(() -> "next").get(5, TimeUnit.SECONDS));
            assertEquals(0, ran.get());
        }
    }

    private static Throwable cause(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within 5 s", e);
        }
        throw new AssertionError("completed normally");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
