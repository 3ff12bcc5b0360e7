package io.tokenhub.gateway.keys;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.tokenhub.gateway.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Creates, lists, revokes and verifies API keys. Verification is on every request, so it reads a cache: a known key
 * costs one SHA-256 and a constant-time compare, no database round trip. Entries are refreshed in the background and
 * expire after {@code tokenhub.keys.cache-ttl}, which bounds how long a revocation takes to reach every replica.
 */
@ApplicationScoped
public class ApiKeyService {

    private final ExecutorService loaders = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "api-key-loader");
        t.setDaemon(true);
        return t;
    });
    private final AsyncLoadingCache<String, Optional<StoredKey>> cache;
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    public ApiKeyService(GatewayConfig config) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.keys().cacheSize())
                .expireAfterWrite(config.keys().cacheTtl())
                .refreshAfterWrite(config.keys().cacheTtl().dividedBy(2))
                .executor(loaders)
                .buildAsync(ApiKeyService::load);
    }

    /** The principal a presented key speaks for; empty when the key is malformed, unknown, revoked or expired. */
    public CompletableFuture<Optional<KeyPrincipal>> verify(String presentedKey) {
        Optional<String> id = ApiKeyFormat.idOf(presentedKey);
        if (id.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return cache.get(id.get())
                .thenApply(stored -> stored.filter(
                                k -> MessageDigest.isEqual(k.secretHash(), ApiKeyFormat.hash(presentedKey)))
                        .filter(k -> k.usableAt(Instant.now()))
                        .map(k -> {
                            lastUsed.put(k.id(), Instant.now());
                            return new KeyPrincipal(k.id(), k.accountId(), k.name());
                        }));
    }

    /** Makes a key for {@code accountId}; the returned secret is the only copy there will ever be. */
    @Transactional
    public Created create(String accountId, String name, Instant expiresAt) {
        Account.findOrCreate(accountId);
        ApiKeyFormat.Generated generated = ApiKeyFormat.generate();
        ApiKey key = new ApiKey();
        key.id = generated.id();
        key.accountId = accountId;
        key.name = name;
        key.secretHash = ApiKeyFormat.hash(generated.key());
        key.createdAt = Instant.now();
        key.expiresAt = expiresAt;
        key.persist();
        Log.infof("API key %s created for account %s", key.id, accountId);
        return new Created(key, generated.key());
    }

    @Transactional
    public List<ApiKey> list(String accountId) {
        return ApiKey.ofAccount(accountId);
    }

    /** Revokes a key of {@code accountId}; false when that account has no such key. */
    @Transactional
    public boolean revoke(String accountId, String keyId) {
        ApiKey key = ApiKey.findById(keyId);
        if (key == null || !key.accountId.equals(accountId)) {
            return false;
        }
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now();
            Log.infof("API key %s of account %s revoked", keyId, accountId);
        }
        cache.synchronous().invalidate(keyId);
        return true;
    }

    /** Writes last-used times in one batch, off the request path. */
    @Scheduled(every = "${tokenhub.keys.last-used-flush:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = Map.copyOf(lastUsed);
        batch.forEach(lastUsed::remove);
        QuarkusTransaction.requiringNew()
                .run(() -> batch.forEach((id, at) -> ApiKey.update(
                        "lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?1)", at, id)));
    }

    /** While Hibernate is still up: by the time beans are destroyed it is closed and the timestamps would be lost. */
    void flushOnShutdown(@Observes ShutdownEvent event) {
        flushLastUsed();
    }

    @PreDestroy
    void stop() {
        loaders.shutdown();
    }

    private static Optional<StoredKey> load(String id) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Optional.ofNullable(ApiKey.<ApiKey>findById(id))
                        .map(k -> new StoredKey(k.id, k.accountId, k.name, k.secretHash, k.expiresAt, k.revokedAt)));
    }

    /**
     * A key made just now.
     *
     * @param key its stored record
     * @param secret the whole key, shown once
     */
    public record Created(ApiKey key, String secret) {}

    private record StoredKey(
            String id, String accountId, String name, byte[] secretHash, Instant expiresAt, Instant revokedAt) {

        boolean usableAt(Instant now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }
    }
}
