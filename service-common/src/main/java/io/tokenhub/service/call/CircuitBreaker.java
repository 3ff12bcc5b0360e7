package io.tokenhub.service.call;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A circuit breaker for one downstream, with MicroProfile Fault Tolerance's semantics
 * (https://download.eclipse.org/microprofile/microprofile-fault-tolerance-4.1/microprofile-fault-tolerance-spec-4.1.html#circuitbreaker):
 * closed, it opens once at least {@code failureRatio} of the last {@code volume} calls failed; open, it refuses calls
 * for {@code delay}; then half-open, it lets {@code successThreshold} trial calls through, closing when they all
 * succeed and opening again on the first failure. Lock-free, and without allocation on the closed path: it sits on
 * every request, where SmallRye's guard cost a Mutiny pipeline, context propagation and a request scope per call.
 *
 * <p>Outcomes are counted against the state the call was admitted in (a generation number), so a slow call admitted
 * before the breaker opened cannot close it again, nor count as a trial.
 */
public final class CircuitBreaker {

    private enum Phase {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    /**
     * One state of the breaker; replaced as a whole on every transition.
     *
     * @param phase closed, open or half-open
     * @param generation incremented on every transition
     * @param since when an open breaker opened (nano clock)
     * @param trials half-open: trial calls admitted and not yet ended without an outcome
     * @param successes half-open: trial calls that succeeded
     */
    private record State(Phase phase, long generation, long since, int trials, int successes) {}

    private final String name;
    private final int volume;
    private final int failuresToOpen;
    private final long delayNanos;
    private final int successThreshold;
    private final Predicate<Throwable> neutral;
    private final LongSupplier nanoClock;
    private final AtomicReference<State> state = new AtomicReference<>(new State(Phase.CLOSED, 0, 0, 0, 0));
    /** The closed breaker's rolling window: 1 for a failed call, 0 for a successful one. */
    private final AtomicIntegerArray window;

    private final AtomicLong recorded = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();

    /**
     * @param name what the refusal names
     * @param volume calls in the rolling window; the breaker cannot open before that many were recorded
     * @param failureRatio share of failed calls in the window that opens it
     * @param delay how long it stays open
     * @param successThreshold trial calls that must succeed to close it again
     * @param neutral failures that say nothing about the downstream (this replica's own limits): not counted at all
     * @param nanoClock {@link System#nanoTime()} but in tests
     */
    public CircuitBreaker(
            String name,
            int volume,
            double failureRatio,
            Duration delay,
            int successThreshold,
            Predicate<Throwable> neutral,
            LongSupplier nanoClock) {
        if (volume < 1 || failureRatio <= 0 || failureRatio > 1 || successThreshold < 1) {
            throw new IllegalArgumentException("circuit breaker " + name + ": volume and success threshold must be "
                    + "at least 1 and the failure ratio in (0, 1]");
        }
        this.name = name;
        this.volume = volume;
        this.failuresToOpen = (int) Math.ceil(failureRatio * volume);
        this.delayNanos = delay.toNanos();
        this.successThreshold = successThreshold;
        this.neutral = neutral;
        this.nanoClock = nanoClock;
        this.window = new AtomicIntegerArray(volume);
    }

    /**
     * Runs {@code call} when the breaker admits it and records how it ended; otherwise fails at once with
     * {@link OpenException} without calling.
     */
    public <T> Future<T> call(Supplier<Future<T>> call) {
        long permit = acquire();
        if (permit < 0) {
            return Future.failedFuture(new OpenException(name));
        }
        Future<T> result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            failed(permit, e);
            return Future.failedFuture(e);
        }
        return result.andThen(ar -> {
            if (ar.succeeded()) {
                succeeded(permit);
            } else {
                failed(permit, ar.cause());
            }
        });
    }

    /** Whether the breaker refuses calls now. */
    public boolean isOpen() {
        State s = state.get();
        return s.phase() == Phase.OPEN && nanoClock.getAsLong() - s.since() < delayNanos;
    }

    /** The generation a call is admitted in, or -1 when it is refused. */
    long acquire() {
        while (true) {
            State s = state.get();
            switch (s.phase()) {
                case CLOSED -> {
                    return s.generation();
                }
                case OPEN -> {
                    if (nanoClock.getAsLong() - s.since() < delayNanos) {
                        return -1;
                    }
                    State trial = new State(Phase.HALF_OPEN, s.generation() + 1, 0, 1, 0);
                    if (state.compareAndSet(s, trial)) {
                        return trial.generation();
                    }
                }
                case HALF_OPEN -> {
                    if (s.trials() + s.successes() >= successThreshold) {
                        return -1;
                    }
                    if (state.compareAndSet(
                            s, new State(Phase.HALF_OPEN, s.generation(), 0, s.trials() + 1, s.successes()))) {
                        return s.generation();
                    }
                }
            }
        }
    }

    void succeeded(long permit) {
        while (true) {
            State s = state.get();
            if (s.generation() != permit) {
                return;
            }
            if (s.phase() == Phase.CLOSED) {
                record(s, 0);
                return;
            }
            State next = s.successes() + 1 >= successThreshold
                    ? new State(Phase.CLOSED, s.generation() + 1, 0, 0, 0)
                    : new State(Phase.HALF_OPEN, s.generation(), 0, s.trials() - 1, s.successes() + 1);
            if (next.phase() == Phase.CLOSED) {
                clearWindow();
            }
            if (state.compareAndSet(s, next)) {
                return;
            }
        }
    }

    void failed(long permit, Throwable failure) {
        boolean counts = !neutral.test(failure);
        while (true) {
            State s = state.get();
            if (s.generation() != permit) {
                return;
            }
            if (s.phase() == Phase.CLOSED) {
                if (counts) {
                    record(s, 1);
                }
                return;
            }
            State next = counts
                    ? new State(Phase.OPEN, s.generation() + 1, nanoClock.getAsLong(), 0, 0)
                    // A neutral outcome gives its trial slot back to the next call.
                    : new State(Phase.HALF_OPEN, s.generation(), 0, s.trials() - 1, s.successes());
            if (state.compareAndSet(s, next)) {
                return;
            }
        }
    }

    private void record(State closed, int failed) {
        long index = recorded.getAndIncrement();
        int before = window.getAndSet((int) (index % volume), failed);
        int total = before == failed ? failures.get() : failures.addAndGet(failed - before);
        if (index + 1 >= volume
                && total >= failuresToOpen
                && state.compareAndSet(
                        closed, new State(Phase.OPEN, closed.generation() + 1, nanoClock.getAsLong(), 0, 0))) {
            clearWindow();
        }
    }

    /** A closed breaker starts from an empty window; a race with a late outcome costs at most one miscount. */
    private void clearWindow() {
        for (int i = 0; i < volume; i++) {
            window.set(i, 0);
        }
        failures.set(0);
        recorded.set(0);
    }

    /** The breaker is open: the call was not made. */
    public static final class OpenException extends RuntimeException {

        OpenException(String name) {
            super("circuit breaker open: " + name, null, false, false);
        }
    }
}
