package io.tokenhub.gateway.keys;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Database lookups of keys that are not in memory, admitted with bounds: at most {@code concurrency} run at once, at
 * most {@code queue} wait, and none waits longer than {@code timeout}. Anyone can send a well-formed key that was
 * never issued, so without these bounds a flood of guesses would queue without end, hold connections the rest of the
 * gateway needs and make customers wait behind it. Past a bound the caller gets a timeout at once (an answer of 503
 * with Retry-After), which is cheaper for everyone than a queue nobody returns from.
 */
final class KeyLookups implements AutoCloseable {

    /** Warnings about refused lookups at most this often, so a flood cannot flood the log too. */
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ThreadPoolExecutor executor;
    private final long timeoutMillis;
    private final String bounds;
    private final AtomicLong refusedSinceWarning = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    KeyLookups(int concurrency, int queue, Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
        this.bounds = "at most " + concurrency + " at once, " + queue + " waiting, " + timeoutMillis + " ms";
        this.executor = new ThreadPoolExecutor(
                concurrency,
                concurrency,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "api-key-lookup");
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code lookup} when there is room; fails with a {@link TimeoutException} when the queue is full
     * ({@link Busy}) or the answer takes longer than the timeout. A lookup whose caller has given up by the time its
     * turn comes is not run at all. The failure is the future's own, never wrapped: Caffeine, which holds the future,
     * logs every failed load as a warning with its stack trace except timeouts, and under a flood a timeout is the
     * expected outcome, not a fault.
     */
    <T> CompletableFuture<T> submit(Supplier<T> lookup) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (result.isDone()) {
                    return;
                }
                try {
                    result.complete(lookup.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            refused();
            return CompletableFuture.failedFuture(new Busy());
        }
        result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            if (failure instanceof TimeoutException) {
                refused();
            }
        });
        return result;
    }

    private void refused() {
        long refused = refusedSinceWarning.incrementAndGet();
        long last = lastWarning.get();
        long now = System.nanoTime();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            refusedSinceWarning.addAndGet(-refused);
            Log.warnf("key lookups saturated: %d refused with 503 since the last warning (%s)", refused, bounds);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** No room for another lookup: the key is neither known nor refused. */
    static final class Busy extends TimeoutException {

        Busy() {
            super("key lookups saturated");
        }

        /** Thrown by the thousand under a flood, always for the same reason: a stack trace would only cost. */
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
