package io.tokenhub.routing.settings;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tokenhub.common.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Per-account routing settings, kept in the compacted topic {@code tokenhub.routing-settings} (key: account id) the
 * way Kafka Connect keeps its configs: every replica reads the whole topic into memory at start and follows it, so the
 * request path reads a map and routing-service needs no database. A write is visible on the replica that took it at
 * once and on the others as soon as they read it, normally within milliseconds.
 */
@ApplicationScoped
public class RoutingSettingsStore {

    private final Map<String, RoutingSettings> byAccount = new ConcurrentHashMap<>();
    private final Emitter<String> out;

    public RoutingSettingsStore(@Channel("routing-settings-out") Emitter<String> out) {
        this.out = out;
    }

    /** The account's settings, or the defaults when it never set any. */
    public RoutingSettings get(String accountId) {
        RoutingSettings settings = byAccount.get(accountId);
        return settings != null ? settings : RoutingSettings.defaults(accountId);
    }

    /** Stores the settings; completes once Kafka has them. */
    public CompletionStage<RoutingSettings> put(RoutingSettings settings) {
        String json;
        try {
            json = EventJson.MAPPER.writeValueAsString(settings);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<RoutingSettings> written = new CompletableFuture<>();
        out.send(Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(settings.accountId())
                        .build())
                .withAck(() -> {
                    byAccount.put(settings.accountId(), settings);
                    written.complete(settings);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(cause -> {
                    written.completeExceptionally(cause);
                    return CompletableFuture.completedFuture(null);
                }));
        return written;
    }

    @Incoming("routing-settings-in")
    void onSettings(String json) {
        if (json == null) {
            return;
        }
        try {
            RoutingSettings settings = EventJson.MAPPER.readValue(json, RoutingSettings.class);
            byAccount.merge(
                    settings.accountId(),
                    settings,
                    (old, incoming) -> old.updatedAt() != null
                                    && incoming.updatedAt() != null
                                    && old.updatedAt().isAfter(incoming.updatedAt())
                            ? old
                            : incoming);
        } catch (Exception e) {
            // A bad record on a compacted topic would stay forever; skipping it keeps routing alive.
            Log.warnf(
                    "ignoring unreadable routing settings record: %s",
                    e.getClass().getSimpleName());
        }
    }
}
