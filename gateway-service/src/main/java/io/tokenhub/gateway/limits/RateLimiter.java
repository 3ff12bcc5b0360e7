package io.tokenhub.gateway.limits;

import io.quarkus.logging.Log;
import io.tokenhub.gateway.config.GatewayConfig;
import io.tokenhub.gateway.keys.KeyPrincipal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests and tokens per minute, per API key and per account, as the plan of the account says. Decisions are taken
 * in this process from buckets in memory, so the request path never waits for the network once a bucket is warm. With
 * a shared store every replica pushes what it counted every {@code sync-interval} and gets back what all replicas
 * counted, in one round trip, for every bucket used within {@code stale-after}; a bucket idle longer than that is read
 * from the store before it decides again. Between two pushes replicas may together admit slightly more than the limit (at most what the others
 * admit in one interval); a store outage degrades to per-replica limits rather than refusing traffic.
 */
@ApplicationScoped
public class RateLimiter {

    /** Buckets idle and full for this long are dropped from memory; the store still has what matters. */
    private static final long FORGET_AFTER_MICROS = TimeUnit.MINUTES.toMicros(2);

    private static final long FORGET_EVERY_MILLIS = 60_000;
    /** Buckets per script call, so one call never holds Redis for long. */
    private static final int MAX_BATCH = 500;

    private final boolean enabled;
    private final Plans plans;
    private final long defaultOutputTokens;
    private final Map<String, Long> defaultOutputTokensByModel;
    private final String prefix;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final RedisCounterStore store;
    private final RedisCounterStore.LocalClock clock = () -> System.nanoTime() / 1_000;
    private final long staleAfterMicros;
    private final long storeTimeoutMillis;
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final AtomicBoolean pushing = new AtomicBoolean();
    private final Vertx vertx;
    private final long timer;

    public RateLimiter(GatewayConfig config, Vertx vertx) {
        GatewayConfig.RateLimits limits = config.rateLimits();
        this.vertx = vertx;
        this.enabled = limits.enabled();
        this.plans = new Plans(limits);
        this.defaultOutputTokens = limits.defaultOutputTokens();
        this.defaultOutputTokensByModel = Map.copyOf(limits.defaultOutputTokensByModel());
        this.prefix = limits.keyPrefix();
        this.staleAfterMicros = limits.staleAfter().toNanos() / 1_000;
        this.storeTimeoutMillis = limits.storeTimeout().toMillis();
        if (enabled && limits.redisUrl().isPresent()) {
            this.store = new RedisCounterStore(vertx, limits.redisUrl().get(), limits.redisPassword());
            this.timer = vertx.setPeriodic(limits.syncInterval().toMillis(), id -> pushAll());
            Log.infof(
                    "rate limits shared through the store at %s",
                    redacted(limits.redisUrl().get()));
        } else {
            this.store = null;
            this.timer = enabled ? vertx.setPeriodic(FORGET_EVERY_MILLIS, id -> forgetIdle()) : -1;
            if (enabled) {
                Log.info("rate limits counted in this process only (tokenhub.rate-limits.redis-url is not set)");
            }
        }
    }

    /**
     * Admits one request that is estimated to use {@code tokens} tokens, or says why not. Completes on an arbitrary
     * thread; it only waits for the store when one of its buckets is cold.
     */
    public CompletionStage<Decision> admit(KeyPrincipal principal, long tokens) {
        if (!enabled) {
            return CompletableFuture.completedFuture(Decision.unlimited());
        }
        GatewayConfig.Plan plan = plans.of(principal.accountId());
        List<Bucket> requestBuckets = new ArrayList<>(2);
        add(requestBuckets, "k:" + principal.keyId() + ":r", plan.keyRequestsPerMinute());
        add(requestBuckets, "a:" + principal.accountId() + ":r", plan.accountRequestsPerMinute());
        List<Bucket> tokenBuckets = tokenBuckets(principal, plan);
        if (store == null) {
            return CompletableFuture.completedFuture(decide(requestBuckets, tokenBuckets, tokens));
        }
        CompletableFuture<Void> warm = warm(requestBuckets, tokenBuckets);
        if (warm.isDone()) {
            return CompletableFuture.completedFuture(decide(requestBuckets, tokenBuckets, tokens));
        }
        return warm.completeOnTimeout(null, storeTimeoutMillis, TimeUnit.MILLISECONDS)
                .thenApply(v -> decide(requestBuckets, tokenBuckets, tokens));
    }

    /**
     * The output a chat request for {@code model} reserves when it names no limit of its own; {@code provider/}
     * prefixes are ignored, since a pinned name answers as long as the plain one.
     */
    public long defaultOutputTokens(String model) {
        if (model == null) {
            return defaultOutputTokens;
        }
        String plain = model.substring(model.indexOf('/') + 1);
        return defaultOutputTokensByModel.getOrDefault(plain, defaultOutputTokens);
    }

    /**
     * Replaces what an admitted request reserved with what it used, in its key's and account's tokens-per-minute
     * buckets: unused tokens go back at once, tokens beyond the reservation are owed (the next requests wait).
     */
    public void settle(KeyPrincipal principal, long reserved, long used) {
        if (!enabled || reserved == used) {
            return;
        }
        long now = clock.micros();
        for (Bucket bucket : tokenBuckets(principal, plans.of(principal.accountId()))) {
            if (used < reserved) {
                bucket.giveBack(reserved - used);
            } else {
                bucket.charge(used - reserved, now);
            }
        }
    }

    /** The tokens-per-minute buckets of a key and its account that the plan limits. */
    private List<Bucket> tokenBuckets(KeyPrincipal principal, GatewayConfig.Plan plan) {
        List<Bucket> tokenBuckets = new ArrayList<>(2);
        add(tokenBuckets, "k:" + principal.keyId() + ":t", plan.keyTokensPerMinute());
        add(tokenBuckets, "a:" + principal.accountId() + ":t", plan.accountTokensPerMinute());
        return tokenBuckets;
    }

    private void add(List<Bucket> to, String id, long perMinute) {
        if (perMinute > 0) {
            to.add(buckets.computeIfAbsent(prefix + id, key -> new Bucket(key, perMinute)));
        }
    }

    private Decision decide(List<Bucket> requestBuckets, List<Bucket> tokenBuckets, long tokens) {
        long now = clock.micros();
        for (Bucket bucket : tokenBuckets) {
            if (bucket.neverFits(tokens)) {
                return refused(
                        Decision.Dimension.TOKENS, true, bucket.resetMicros(now), requestBuckets, tokenBuckets, now);
            }
        }
        List<Bucket> taken = new ArrayList<>(4);
        for (Bucket bucket : requestBuckets) {
            if (!bucket.tryTake(1, now)) {
                giveBack(taken, requestBuckets, tokens);
                return refused(
                        Decision.Dimension.REQUESTS,
                        false,
                        bucket.waitMicros(1, now),
                        requestBuckets,
                        tokenBuckets,
                        now);
            }
            taken.add(bucket);
        }
        for (Bucket bucket : tokenBuckets) {
            if (!bucket.tryTake(tokens, now)) {
                giveBack(taken, requestBuckets, tokens);
                return refused(
                        Decision.Dimension.TOKENS,
                        false,
                        bucket.waitMicros(tokens, now),
                        requestBuckets,
                        tokenBuckets,
                        now);
            }
            taken.add(bucket);
        }
        return new Decision(true, Optional.empty(), false, 0, window(requestBuckets, now), window(tokenBuckets, now));
    }

    private static void giveBack(List<Bucket> taken, List<Bucket> requestBuckets, long tokens) {
        for (Bucket bucket : taken) {
            bucket.giveBack(requestBuckets.contains(bucket) ? 1 : tokens);
        }
    }

    private static Decision refused(
            Decision.Dimension dimension,
            boolean neverFits,
            long waitMicros,
            List<Bucket> requestBuckets,
            List<Bucket> tokenBuckets,
            long now) {
        return new Decision(
                false,
                Optional.of(dimension),
                neverFits,
                ceilMillis(waitMicros),
                window(requestBuckets, now),
                window(tokenBuckets, now));
    }

    /** The tightest of the limits: the one with the fewest units left. */
    private static Optional<Decision.Window> window(List<Bucket> buckets, long now) {
        Decision.Window tightest = null;
        for (Bucket bucket : buckets) {
            long remaining = bucket.remaining(now);
            if (tightest == null || remaining < tightest.remaining()) {
                tightest = new Decision.Window(bucket.limit, remaining, ceilMillis(bucket.resetMicros(now)));
            }
        }
        return Optional.ofNullable(tightest);
    }

    private static long ceilMillis(long micros) {
        return (micros + 999) / 1_000;
    }

    /** Reads the buckets that are cold or stale from the store; done at once when all are warm. */
    private CompletableFuture<Void> warm(List<Bucket> requestBuckets, List<Bucket> tokenBuckets) {
        long now = clock.micros();
        List<Bucket> toLoad = new ArrayList<>(4);
        List<CompletableFuture<Void>> waits = new ArrayList<>(4);
        for (List<Bucket> list : List.of(requestBuckets, tokenBuckets)) {
            for (Bucket bucket : list) {
                if (!bucket.staleAt(now, staleAfterMicros)) {
                    continue;
                }
                CompletableFuture<Void> started = bucket.startLoading();
                if (started != null) {
                    toLoad.add(bucket);
                    waits.add(started);
                } else {
                    CompletableFuture<Void> loading = bucket.loading();
                    if (loading != null) {
                        waits.add(loading);
                    }
                }
            }
        }
        if (!toLoad.isEmpty()) {
            push(toLoad);
        }
        return waits.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    }

    private void forgetIdle() {
        long now = clock.micros();
        buckets.forEach((key, bucket) -> {
            if (bucket.forgettable(now, FORGET_AFTER_MICROS)) {
                buckets.remove(key, bucket);
            }
        });
    }

    /** The periodic push: every bucket used since its last sync, in one round trip; forgets idle ones. */
    private void pushAll() {
        if (!pushing.compareAndSet(false, true)) {
            return;
        }
        long now = clock.micros();
        List<Bucket> due = new ArrayList<>();
        buckets.forEach((key, bucket) -> {
            if (bucket.forgettable(now, FORGET_AFTER_MICROS)) {
                buckets.remove(key, bucket);
            } else if (bucket.due(now, staleAfterMicros) && bucket.loading() == null) {
                due.add(bucket);
            }
        });
        if (due.isEmpty()) {
            pushing.set(false);
            return;
        }
        List<Future<double[]>> batches = new ArrayList<>();
        for (int from = 0; from < due.size(); from += MAX_BATCH) {
            batches.add(push(due.subList(from, Math.min(due.size(), from + MAX_BATCH))));
        }
        Future.join(batches).onComplete(done -> pushing.set(false));
    }

    private Future<double[]> push(List<Bucket> batch) {
        long[] units = new long[batch.size()];
        for (int i = 0; i < units.length; i++) {
            units[i] = Math.round(batch.get(i).drainUnsynced());
        }
        return store.push(batch, units, clock).onComplete(result -> {
            long now = clock.micros();
            if (result.succeeded()) {
                double[] tats = result.result();
                for (int i = 0; i < tats.length; i++) {
                    batch.get(i).synced(tats[i], now);
                }
                if (storeDown.compareAndSet(true, false)) {
                    Log.info("rate-limit store reachable again; limits are shared across replicas again");
                }
            } else {
                // The units stay counted here; pushing them later in one lump would block buckets for the whole
                // outage, so they are not retried.
                batch.forEach(bucket -> bucket.syncFailed(now));
                if (storeDown.compareAndSet(false, true)) {
                    Log.warnf(
                            "rate-limit store unreachable (%s); each replica limits on its own until it is back",
                            result.cause().getClass().getSimpleName());
                }
            }
            batch.forEach(bucket -> {
                CompletableFuture<Void> loading = bucket.finishLoading();
                if (loading != null) {
                    loading.complete(null);
                }
            });
        });
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (store != null) {
            store.close();
        }
    }

    private static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
