package io.tokenhub.gateway.budget;

import io.quarkus.logging.Log;
import io.tokenhub.common.events.AccountSpend;
import io.tokenhub.common.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Every account's latest spend and budget as billing-service publishes them on the compacted topic
 * {@code tokenhub.spend}: each gateway replica reads the whole topic at start and follows it, so the request path reads
 * memory. An account billing never published has spent nothing and has no budget.
 */
@ApplicationScoped
public class SpendBook {

    private final Map<String, AccountSpend> byAccount = new ConcurrentHashMap<>();

    public Optional<AccountSpend> of(String accountId) {
        return Optional.ofNullable(byAccount.get(accountId));
    }

    @Incoming("spend")
    void onSpend(String json) {
        if (json == null) {
            return;
        }
        try {
            AccountSpend spend = EventJson.MAPPER.readValue(json, AccountSpend.class);
            // Records of one account arrive in order (one partition per key), but a replayed older one must not win.
            byAccount.merge(
                    spend.accountId(),
                    spend,
                    (old, incoming) -> old.updatedAt().isAfter(incoming.updatedAt()) ? old : incoming);
        } catch (Exception e) {
            // A bad record on a compacted topic would stay forever; skipping it keeps the gateway serving.
            Log.warnf("ignoring unreadable spend record: %s", e.getClass().getSimpleName());
        }
    }
}
