package io.tokenhub.gateway.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Keeps the keys in use fresh in the background, many to a database read. Re-reading each key when a request finds it
 * older than the time-to-live falls off a cliff once keys are used less often than that: past (requests per second
 * times TTL) active keys, 1,000 at 200 requests/s and the 5 s default, every request waited for a read of its own key.
 * A sweep re-reads in batches every key used recently and loaded more than a cutoff ago, so a request finds its key
 * fresh however many keys there are. Keys used less often than the window are left to be read by their next request,
 * which bounds the sweep's reads per request; keys unused for the idle time are forgotten, as the cache's own expiry
 * did before (a sweep's write would count as an access and keep them forever).
 *
 * @param <T> what is kept per key id
 */
final class KeySweep<T> {

    /** What a sweep needs to know of a kept value, and how a fresh read keeps the old one's time of last use. */
    interface Kept<T> {

        long loadedAtNanos(T value);

        long usedAtNanos(T value);

        /** {@code fresh}, as read now, carrying what {@code old} knew of its use. */
        T renewed(T old, T fresh);
    }

    private final ConcurrentMap<String, CompletableFuture<T>> entries;
    private final Function<List<String>, Map<String, T>> reader;
    private final Kept<T> kept;
    private final int batchSize;

    /**
     * @param entries the cache's map view; entries are replaced or removed only if unchanged since the sweep saw them,
     *     so an invalidation (a revocation, a budget change) that comes while a batch is read wins over the read
     * @param reader reads the given ids at once; an id missing from the answer no longer exists
     */
    KeySweep(
            ConcurrentMap<String, CompletableFuture<T>> entries,
            Function<List<String>, Map<String, T>> reader,
            Kept<T> kept,
            int batchSize) {
        this.entries = entries;
        this.reader = reader;
        this.kept = kept;
        this.batchSize = batchSize;
    }

    /**
     * Forgets the entries unused since {@code idleBeforeNanos} and re-reads those used since {@code usedSinceNanos}
     * and loaded before {@code loadedBeforeNanos}; returns how many were re-read.
     */
    int sweep(long loadedBeforeNanos, long usedSinceNanos, long idleBeforeNanos) {
        List<Map.Entry<String, CompletableFuture<T>>> due = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<T>> entry : entries.entrySet()) {
            CompletableFuture<T> future = entry.getValue();
            if (!future.isDone() || future.isCompletedExceptionally() || future.join() == null) {
                continue;
            }
            T value = future.join();
            if (kept.usedAtNanos(value) - idleBeforeNanos < 0) {
                entries.remove(entry.getKey(), future);
            } else if (kept.loadedAtNanos(value) - loadedBeforeNanos < 0
                    && kept.usedAtNanos(value) - usedSinceNanos >= 0) {
                due.add(Map.entry(entry.getKey(), future));
            }
        }
        for (int from = 0; from < due.size(); from += batchSize) {
            List<Map.Entry<String, CompletableFuture<T>>> batch =
                    due.subList(from, Math.min(due.size(), from + batchSize));
            Map<String, T> read =
                    reader.apply(batch.stream().map(Map.Entry::getKey).toList());
            for (Map.Entry<String, CompletableFuture<T>> entry : batch) {
                T fresh = read.get(entry.getKey());
                if (fresh == null) {
                    entries.remove(entry.getKey(), entry.getValue());
                } else {
                    entries.replace(
                            entry.getKey(),
                            entry.getValue(),
                            CompletableFuture.completedFuture(
                                    kept.renewed(entry.getValue().join(), fresh)));
                }
            }
        }
        return due.size();
    }
}
