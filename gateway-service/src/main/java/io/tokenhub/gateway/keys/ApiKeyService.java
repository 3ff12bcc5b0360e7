package io.tokenhub.gateway.keys;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.tokenhub.gateway.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Creates, lists, revokes and verifies API keys. Verification is on every request, so it reads memory: a known key
 * costs one SHA-256 and a constant-time compare, no database round trip. A key read more than
 * {@code tokenhub.keys.cache-ttl} ago is read again before it is trusted, which bounds how long a revocation takes to
 * reach every replica; every key used in the last minute or so is re-read in the background before that, many to a
 * query ({@link KeySweep}), so a request finds its key fresh however many keys there are.
 *
 * <p>Two lanes reach the database. Keys already in memory are re-read on their own small pool, so they never wait
 * behind anything else. Ids not in memory (new keys, idle ones, and every guess anyone on the internet sends) go
 * through {@link KeyLookups}, bounded in concurrency, queue and wait; an id found not to exist is remembered apart
 * from the known keys, for the same time-to-live, so a repeated guess costs nothing and guesses never evict real keys.
 */
@ApplicationScoped
public class ApiKeyService {

    /** Keys unused for this long leave memory; the size bound holds anyway, this only frees what nobody uses. */
    private static final Duration IDLE_EXPIRY = Duration.ofMinutes(10);

    /**
     * Keys used within this many TTLs are kept fresh by the sweep (a minute at the 5 s default); a key used less often
     * is read by its next request, as before. It bounds the sweep's work: each request keeps its key in the sweep for
     * at most twice this many re-reads, in batches.
     */
    private static final int SWEEP_WINDOW_TTLS = 12;

    /** Ids per query of a sweep: a short IN list on the primary key, well within any statement's limits. */
    private static final int SWEEP_BATCH = 500;

    private static final CompletableFuture<Optional<KeyPrincipal>> NONE =
            CompletableFuture.completedFuture(Optional.empty());

    private final ExecutorService refreshers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "api-key-refresh");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "api-key-sweep");
        t.setDaemon(true);
        return t;
    });
    private final ApiKeyStore store;
    private final AsyncLoadingCache<String, StoredKey> known;
    private final KeySweep<StoredKey> sweep;
    private final Cache<String, Boolean> unknown;
    private final KeyLookups lookups;
    private final long ttlNanos;
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
    private final Counter found;
    private final Counter notFound;
    private final Counter refused;
    private final Counter failed;

    public ApiKeyService(ApiKeyStore store, GatewayConfig config, MeterRegistry registry) {
        GatewayConfig.Keys keys = config.keys();
        this.store = store;
        this.ttlNanos = keys.cacheTtl().toNanos();
        this.known = Caffeine.newBuilder()
                .maximumSize(keys.cacheSize())
                .executor(refreshers)
                .buildAsync(this::load);
        this.sweep = new KeySweep<>(known.asMap(), this::loadAll, new StoredKeys(), SWEEP_BATCH);
        // Every key is read again at most half a TTL plus a period after its last read: fresh when a request comes.
        long periodMillis = Math.max(50, keys.cacheTtl().toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        this.unknown = Caffeine.newBuilder()
                .maximumSize(keys.unknownCacheSize())
                .expireAfterWrite(keys.cacheTtl())
                .build();
        this.lookups = new KeyLookups(keys.lookupConcurrency(), keys.lookupQueue(), keys.lookupTimeout());
        this.found = lookupCounter(registry, "found");
        this.notFound = lookupCounter(registry, "unknown");
        this.refused = lookupCounter(registry, "refused");
        this.failed = lookupCounter(registry, "error");
    }

    /**
     * The principal a presented key speaks for; empty when the key is malformed, unknown, revoked or expired. Fails
     * with a {@link TimeoutException} when the key had to be looked up and the lookups are saturated.
     */
    public CompletableFuture<Optional<KeyPrincipal>> verify(String presentedKey) {
        Optional<String> id = ApiKeyFormat.idOf(presentedKey);
        if (id.isEmpty() || unknown.getIfPresent(id.get()) != null) {
            return NONE;
        }
        return known.get(id.get(), (key, executor) -> lookup(key))
                .thenCompose(stored -> stored != null && stale(stored)
                        ? known.synchronous().refresh(id.get())
                        : CompletableFuture.completedFuture(stored))
                .thenApply(stored -> principal(stored, presentedKey));
    }

    /**
     * The principal of a presented key from memory alone, never the database: empty unless the key is known, fresh
     * and valid. For callers that must not cost a lookup.
     */
    public Optional<KeyPrincipal> verifyInMemory(String presentedKey) {
        CompletableFuture<StoredKey> stored =
                ApiKeyFormat.idOf(presentedKey).map(known::getIfPresent).orElse(null);
        if (stored == null || !stored.isDone() || stored.isCompletedExceptionally()) {
            return Optional.empty();
        }
        StoredKey key = stored.join();
        return key == null || stale(key) ? Optional.empty() : principal(key, presentedKey);
    }

    /** The lookup's own future, not a stage after it, so that Caffeine sees its failures unwrapped. */
    private CompletableFuture<StoredKey> lookup(String id) {
        CompletableFuture<StoredKey> lookup = lookups.submit(() -> load(id));
        lookup.whenComplete((stored, failure) -> {
            if (failure instanceof TimeoutException) {
                refused.increment();
            } else if (failure != null) {
                failed.increment();
            } else if (stored == null) {
                notFound.increment();
                unknown.put(id, Boolean.TRUE);
            } else {
                found.increment();
            }
        });
        return lookup;
    }

    private void sweep() {
        long now = System.nanoTime();
        try {
            sweep.sweep(now - ttlNanos / 2, now - SWEEP_WINDOW_TTLS * ttlNanos, now - IDLE_EXPIRY.toNanos());
        } catch (RuntimeException e) {
            // The database is away: requests read their own keys when they find them stale, as they must anyway.
            Log.warnf("background re-read of API keys failed: %s", e.getClass().getSimpleName());
        }
    }

    private boolean stale(StoredKey key) {
        return System.nanoTime() - key.loadedAtNanos() > ttlNanos;
    }

    private Optional<KeyPrincipal> principal(StoredKey stored, String presentedKey) {
        if (stored == null
                || !MessageDigest.isEqual(stored.key().secretHash(), ApiKeyFormat.hash(presentedKey))
                || !stored.key().usableAt(Instant.now())) {
            return Optional.empty();
        }
        ApiKey key = stored.key();
        stored.usedAtNanos().set(System.nanoTime());
        lastUsed.put(key.id(), Instant.now());
        return Optional.of(new KeyPrincipal(key.id(), key.accountId(), key.name(), key.monthlyBudgetUsd()));
    }

    /** Whether a verification failed only because lookups were saturated, which is not worth an error in the log. */
    public static boolean busy(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof TimeoutException;
    }

    /** Makes a key for {@code accountId}; the returned secret is the only copy there will ever be. */
    public Created create(String accountId, String name, Instant expiresAt, BigDecimal monthlyBudgetUsd) {
        ApiKeyFormat.Generated generated = ApiKeyFormat.generate();
        ApiKey key = new ApiKey(
                generated.id(),
                accountId,
                name,
                ApiKeyFormat.hash(generated.key()),
                Instant.now(),
                null,
                expiresAt,
                null,
                monthlyBudgetUsd);
        store.create(key);
        // Someone may have guessed this id a moment ago; its owner must not be refused for that.
        unknown.invalidate(key.id());
        Log.infof("API key %s created for account %s", key.id(), accountId);
        return new Created(key, generated.key());
    }

    /** Every key of {@code accountId}, newest first, revoked and expired ones included. */
    public List<ApiKey> list(String accountId) {
        return store.ofAccount(accountId);
    }

    /** Revokes a key of {@code accountId}; false when that account has no such key. */
    public boolean revoke(String accountId, String keyId) {
        Optional<ApiKey> key = store.find(keyId).filter(k -> k.accountId().equals(accountId));
        if (key.isEmpty()) {
            return false;
        }
        if (store.revoke(keyId, Instant.now())) {
            Log.infof("API key %s of account %s revoked", keyId, accountId);
        }
        known.synchronous().invalidate(keyId);
        return true;
    }

    /**
     * Sets or (with null) removes the monthly budget of a key of {@code accountId}; empty when that account has no
     * such key. This replica applies it at once, others when their copy of the key is next read (the cache TTL).
     */
    public Optional<ApiKey> setBudget(String accountId, String keyId, BigDecimal monthlyBudgetUsd) {
        Optional<ApiKey> changed = store.setBudget(accountId, keyId, monthlyBudgetUsd);
        // After the update has committed: a refresh started before it would otherwise put the old budget back.
        changed.ifPresent(key -> {
            known.synchronous().invalidate(keyId);
            Log.infof("API key %s of account %s: monthly budget %s", keyId, accountId, monthlyBudgetUsd);
        });
        return changed;
    }

    /** Writes last-used times in one batch, off the request path. */
    @Scheduled(every = "${tokenhub.keys.last-used-flush:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = Map.copyOf(lastUsed);
        batch.forEach(lastUsed::remove);
        store.touch(batch);
    }

    /** While the datasource is still up: by the time beans are destroyed it is closed and the times would be lost. */
    void flushOnShutdown(@Observes ShutdownEvent event) {
        flushLastUsed();
    }

    @PreDestroy
    void stop() {
        lookups.close();
        sweeper.shutdownNow();
        refreshers.shutdown();
    }

    private static Counter lookupCounter(MeterRegistry registry, String result) {
        return Counter.builder("tokenhub.key.lookups")
                .description("Database lookups of API keys not in memory, by result (refused: saturated, not run)")
                .tag("result", result)
                .register(registry);
    }

    /** The key with {@code id}, or null when there is none (which Caffeine takes as "nothing to keep"). */
    private StoredKey load(String id) {
        return store.find(id).map(key -> StoredKey.read(key, System.nanoTime())).orElse(null);
    }

    /** The keys with these ids that exist, in one query. */
    private Map<String, StoredKey> loadAll(List<String> ids) {
        long now = System.nanoTime();
        return store.findAll(ids).stream().collect(Collectors.toMap(ApiKey::id, key -> StoredKey.read(key, now)));
    }

    /**
     * A key made just now.
     *
     * @param key as stored
     * @param secret the whole key, shown once
     */
    public record Created(ApiKey key, String secret) {}

    /**
     * A key as this replica holds it.
     *
     * @param key as read
     * @param loadedAtNanos when it was read, on {@link System#nanoTime()}
     * @param usedAtNanos when a request last presented it, on the same clock
     */
    private record StoredKey(ApiKey key, long loadedAtNanos, AtomicLong usedAtNanos) {

        static StoredKey read(ApiKey key, long nowNanos) {
            return new StoredKey(key, nowNanos, new AtomicLong(nowNanos));
        }
    }

    /** How a sweep reads a stored key: a re-read key keeps the time of its last use, so idle keys still leave. */
    private static final class StoredKeys implements KeySweep.Kept<StoredKey> {

        @Override
        public long loadedAtNanos(StoredKey value) {
            return value.loadedAtNanos();
        }

        @Override
        public long usedAtNanos(StoredKey value) {
            return value.usedAtNanos().get();
        }

        @Override
        public StoredKey renewed(StoredKey old, StoredKey fresh) {
            fresh.usedAtNanos().set(old.usedAtNanos().get());
            return fresh;
        }
    }
}
