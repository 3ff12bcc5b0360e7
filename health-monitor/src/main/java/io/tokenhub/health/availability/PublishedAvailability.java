package io.tokenhub.health.availability;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.common.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * What the compacted topic {@value Topics#PROVIDER_AVAILABILITY} says right now, read from its beginning by every
 * replica: the status API and the metrics show exactly what routing-service sees, whichever replica answers, and a
 * new leader carries on from it.
 */
@ApplicationScoped
public class PublishedAvailability {

    private final Map<String, AvailabilityEvent> entries = new ConcurrentHashMap<>();

    @Incoming("availability-in")
    void onRecord(ConsumerRecord<String, AvailabilityEvent> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            entries.remove(record.key());
        } else {
            entries.put(record.key(), record.value());
        }
    }

    /** Every entry in force. */
    public List<AvailabilityEvent> all() {
        return List.copyOf(entries.values());
    }

    /** The provider-wide entry. */
    public Optional<AvailabilityEvent> provider(Provider provider) {
        return Optional.ofNullable(entries.get(provider.wireName()));
    }

    /** The entries of the provider's models whose status differs from the provider's, by model id. */
    public List<AvailabilityEvent> models(Provider provider) {
        return entries.values().stream()
                .filter(event -> event.model() != null && provider.wireName().equals(event.provider()))
                .sorted(Comparator.comparing(AvailabilityEvent::model))
                .toList();
    }
}
