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
 * gateway needs and make customers wait behind it. Past a bound the caller gets {@link Busy} at once (an answer of 503
 * with Retry-After), which is cheaper for everyone than a queue nobody returns from.
 */
public final class KeyLookups implements AutoCloseable {

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
     * Runs {@code lookup} when there is room; fails with {@link Busy} when the queue is full or the answer takes longer
     * than the timeout. A lookup whose caller has given up by the time its turn comes is not run at all.
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
        return result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
            if (failure instanceof TimeoutException) {
                refused();
                return CompletableFuture.failedFuture(new Busy());
            }
            return CompletableFuture.failedFuture(failure);
        });
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

    /** No room for another lookup, or it did not finish in time: the key is neither known nor refused. */
    public static final class Busy extends RuntimeException {

        Busy() {
            super("key lookups saturated", null, false, false);
        }
    }
}
