package io.tokenhub.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The background re-read of known keys: many to a read, invalidations win, idle keys leave. */
class KeySweepTest {

    /** A kept key: when it was read, when it was last used, and which read it came from. */
    record Key(long loadedAt, long usedAt, int version) {}

    private static final KeySweep.Kept<Key> KEPT = new KeySweep.Kept<>() {
        @Override
        public long loadedAtNanos(Key value) {
            return value.loadedAt();
        }

        @Override
        public long usedAtNanos(Key value) {
            return value.usedAt();
        }

        @Override
        public Key renewed(Key old, Key fresh) {
            return new Key(fresh.loadedAt(), old.usedAt(), fresh.version());
        }
    };

    private final ConcurrentMap<String, CompletableFuture<Key>> entries = new ConcurrentHashMap<>();
    private final List<List<String>> reads = new ArrayList<>();

    @Test
    void keysReadBeforeTheCutoffAreReadAgainManyToARead() {
        for (int i = 0; i < 25; i++) {
            put("old-" + i, new Key(100, 500, 1));
        }
        put("recent", new Key(300, 500, 1));
        KeySweep<Key> sweep = new KeySweep<>(entries, reader(ids -> true), KEPT, 10);

        assertEquals(25, sweep.sweep(200, 0, 0));

        assertEquals(List.of(10, 10, 5), reads.stream().map(List::size).toList());
        assertEquals(new Key(1_000, 500, 2), entries.get("old-7").join());
        assertEquals(new Key(300, 500, 1), entries.get("recent").join());
    }

    @Test
    void aKeyTheReadNoLongerFindsLeaves() {
        put("deleted", new Key(100, 500, 1));
        put("kept", new Key(100, 500, 1));

        new KeySweep<>(entries, reader(id -> !id.equals("deleted")), KEPT, 10).sweep(200, 0, 0);

        assertFalse(entries.containsKey("deleted"));
        assertEquals(2, entries.get("kept").join().version());
    }

    @Test
    void aKeyInvalidatedOrReloadedDuringTheReadIsNotOverwritten() {
        put("revoked", new Key(100, 500, 1));
        CompletableFuture<Key> reloaded = CompletableFuture.completedFuture(new Key(150, 500, 7));
        put("reloaded", new Key(100, 500, 1));
        Function<List<String>, Map<String, Key>> racing = ids -> {
            entries.remove("revoked");
            entries.put("reloaded", reloaded);
            return reader(id -> true).apply(ids);
        };

        new KeySweep<>(entries, racing, KEPT, 10).sweep(200, 0, 0);

        assertFalse(entries.containsKey("revoked"));
        assertSame(reloaded, entries.get("reloaded"));
    }

    @Test
    void onlyKeysUsedWithinTheWindowAreReadAndIdleOnesLeave() {
        put("idle", new Key(100, 50, 1));
        put("seldom", new Key(100, 80, 1));
        put("used", new Key(100, 500, 1));
        CompletableFuture<Key> loading = new CompletableFuture<>();
        entries.put("loading", loading);

        assertEquals(1, new KeySweep<>(entries, reader(id -> true), KEPT, 10).sweep(200, 400, 60));

        assertFalse(entries.containsKey("idle"));
        assertEquals(List.of(List.of("used")), reads);
        assertEquals(1, entries.get("seldom").join().version());
        assertSame(loading, entries.get("loading"));
    }

    private void put(String id, Key key) {
        entries.put(id, CompletableFuture.completedFuture(key));
    }

    /** A database that holds the ids {@code exists} accepts, each read as version 2 at time 1,000. */
    private Function<List<String>, Map<String, Key>> reader(Predicate<String> exists) {
        return ids -> {
            reads.add(List.copyOf(ids));
            Map<String, Key> out = new HashMap<>();
            ids.stream().filter(exists).forEach(id -> out.put(id, new Key(1_000, 1_000, 2)));
            return out;
        };
    }
}
