package io.tokenhub.health.availability;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.Record;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.health.status.AvailabilityUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Writes availability updates to the compacted topic. Until the topic is known to exist, updates wait here, only the
 * latest per key, and go out once {@link #flush()} (called from the probe round) finds the topic in place.
 */
@ApplicationScoped
public class AvailabilityPublisher {

    private final Emitter<Record<String, AvailabilityEvent>> emitter;
    private final AvailabilityTopic topic;
    private final Map<String, AvailabilityUpdate> waiting = new LinkedHashMap<>();

    public AvailabilityPublisher(
            @Channel("availability-out") Emitter<Record<String, AvailabilityEvent>> emitter, AvailabilityTopic topic) {
        this.emitter = emitter;
        this.topic = topic;
    }

    /** Sends {@code updates} now, or as soon as the topic exists. */
    public void publish(List<AvailabilityUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        synchronized (waiting) {
            updates.forEach(update -> waiting.put(update.key(), update));
        }
        if (topic.isReady()) {
            send();
        }
    }

    /** Makes sure the topic exists (blocking), then sends whatever waits. */
    public void flush() {
        if (topic.ensure()) {
            send();
        }
    }

    private void send() {
        List<AvailabilityUpdate> batch;
        synchronized (waiting) {
            batch = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        for (int i = 0; i < batch.size(); i++) {
            AvailabilityUpdate update = batch.get(i);
            try {
                emitter.send(Record.of(update.key(), update.event())).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        Log.warnf(
                                "Could not write availability of %s: %s; the next republication repeats it",
                                update.key(), failure.toString());
                    }
                });
            } catch (RuntimeException e) {
                // Reactive messaging connects the channel during startup, and a first probe round can come sooner:
                // keep what is unsent for the next flush, unless a newer verdict for the key arrived meanwhile.
                Log.debugf(
                        "availability channel not ready (%s); %d updates wait",
                        e.getClass().getSimpleName(), batch.size() - i);
                synchronized (waiting) {
                    batch.subList(i, batch.size()).forEach(u -> waiting.putIfAbsent(u.key(), u));
                }
                return;
            }
        }
    }
}
