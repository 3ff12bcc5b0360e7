package io.tokenhub.gateway.limits;

import java.util.concurrent.CompletableFuture;

/**
 * One per-minute limit (say, requests of one key) as a GCRA bucket: the state is a theoretical arrival time (TAT), the
 * moment the bucket will be full again. Taking {@code n} units moves it {@code n} emission intervals ahead; a take is
 * refused when that would put it more than a minute ahead of now. So the whole minute's allowance may be used in a
 * burst and then refills continuously, as OpenAI's limits do.
 *
 * <p>Times are microseconds on this replica's clock. With a shared store, {@code unsynced} holds the units taken here
 * since the last push; the store's answer replaces {@code tat} with the TAT of every replica together.
 */
final class Bucket {

    static final double WINDOW_MICROS = 60_000_000d;

    final String storeKey;
    final long limit;
    final double interval;

    private double tat;
    private double unsynced;
    /** Never synced: far enough in the past to be stale, near enough that subtracting it cannot overflow. */
    private long syncedAtMicros = Long.MIN_VALUE / 4;

    private long touchedAtMicros;
    private CompletableFuture<Void> loading;

    Bucket(String storeKey, long limit) {
        this.storeKey = storeKey;
        this.limit = limit;
        this.interval = WINDOW_MICROS / limit;
    }

    /** Takes {@code units} when they fit; otherwise leaves the bucket as it was and returns false. */
    synchronized boolean tryTake(double units, long now) {
        touchedAtMicros = now;
        double after = Math.max(tat, now) + units * interval;
        if (after - now > WINDOW_MICROS + 1) {
            return false;
        }
        tat = after;
        unsynced += units;
        return true;
    }

    /** Gives back units taken by a request that another limit then refused. */
    synchronized void giveBack(double units) {
        tat -= units * interval;
        unsynced -= units;
    }

    /**
     * Counts units already used, even past the limit: a request that used more than it reserved leaves a debt the
     * next requests wait for, as the bucket refills.
     */
    synchronized void charge(double units, long now) {
        touchedAtMicros = now;
        tat = Math.max(tat, now) + units * interval;
        unsynced += units;
    }

    /** Whole units still free now. */
    synchronized long remaining(long now) {
        double used = (Math.max(tat, now) - now) / interval;
        return Math.max(0, (long) Math.floor(limit - used + 1e-9));
    }

    /** Microseconds until the bucket is full again. */
    synchronized long resetMicros(long now) {
        return (long) Math.ceil(Math.max(0, tat - now));
    }

    /** Microseconds until {@code units} would fit; 0 when they fit now. */
    synchronized long waitMicros(double units, long now) {
        double after = Math.max(tat, now) + units * interval;
        return (long) Math.ceil(Math.max(0, after - now - WINDOW_MICROS));
    }

    /** Whether a single request of {@code units} can never fit, however long it waits. */
    boolean neverFits(double units) {
        return units > limit;
    }

    /** The units to push now; they move from unsynced to in flight. */
    synchronized double drainUnsynced() {
        double units = unsynced;
        unsynced = 0;
        return units;
    }

    /**
     * The store's TAT (already on this replica's clock) after it added what was pushed; units taken here while the
     * push was under way are added on top.
     */
    synchronized void synced(double storeTat, long now) {
        tat = Math.max(storeTat, now) + unsynced * interval;
        syncedAtMicros = now;
    }

    /** The push failed: keep counting locally and read the store again once the bucket is stale. */
    synchronized void syncFailed(long now) {
        syncedAtMicros = now;
    }

    synchronized boolean staleAt(long now, long staleAfterMicros) {
        return now - syncedAtMicros > staleAfterMicros;
    }

    /** Worth a push: it counted something since the last one, or it is in use and must keep up with the others. */
    synchronized boolean due(long now, long activeMicros) {
        return touchedAtMicros >= syncedAtMicros || unsynced != 0 || now - touchedAtMicros < activeMicros;
    }

    /** Idle long enough and full again: nothing would be lost by forgetting it. */
    synchronized boolean forgettable(long now, long idleMicros) {
        return unsynced == 0 && loading == null && tat <= now && now - touchedAtMicros > idleMicros;
    }

    synchronized CompletableFuture<Void> loading() {
        return loading;
    }

    synchronized CompletableFuture<Void> startLoading() {
        if (loading == null) {
            loading = new CompletableFuture<>();
            return loading;
        }
        return null;
    }

    synchronized CompletableFuture<Void> finishLoading() {
        CompletableFuture<Void> done = loading;
        loading = null;
        return done;
    }
}
