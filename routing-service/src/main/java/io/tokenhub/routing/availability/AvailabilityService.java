package io.tokenhub.routing.availability;

import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.common.events.AvailabilityStatus;
import io.tokenhub.common.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The latest availability verdict per provider and per provider/model, read from the compacted topic health-monitor
 * writes. A provider nobody has reported on yet counts as UP: routing must work before the first probe lands, and
 * the circuit breakers still protect it.
 */
@ApplicationScoped
public class AvailabilityService {

    private final Map<String, AvailabilityStatus> statusByKey = new ConcurrentHashMap<>();

    @Incoming("provider-availability")
    void onAvailability(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            // A tombstone: health-monitor no longer has a separate verdict for this key (a model back in line with
            // its provider), so the provider's verdict applies again.
            if (record.key() != null && statusByKey.remove(record.key()) != null) {
                Log.infof("availability of %s: back to its provider's verdict", record.key());
            }
            return;
        }
        try {
            AvailabilityEvent event = EventJson.MAPPER.readValue(record.value(), AvailabilityEvent.class);
            if (event.provider() == null || event.status() == null) {
                Log.warnf("ignoring availability event without provider or status");
                return;
            }
            AvailabilityStatus previous = statusByKey.put(event.key(), event.status());
            if (previous != event.status()) {
                Log.infof("availability of %s: %s -> %s", event.key(), previous, event.status());
            }
        } catch (Exception e) {
            // A bad record on a compacted topic would stay forever; skipping it keeps routing alive.
            Log.warnf("ignoring unreadable availability event: %s", e.getClass().getSimpleName());
        }
    }

    /** The verdict for a model at a provider: the model's own when published, otherwise the provider's. */
    public AvailabilityStatus status(Provider provider, String modelId) {
        AvailabilityStatus model = statusByKey.get(provider.wireName() + "/" + modelId);
        if (model != null) {
            return model;
        }
        return statusByKey.getOrDefault(provider.wireName(), AvailabilityStatus.UP);
    }
}
