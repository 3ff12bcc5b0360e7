package io.tokenhub.health.status;

import io.tokenhub.common.events.AvailabilityEvent;

/**
 * One record to write to the compacted availability topic.
 *
 * @param key the record key: provider, or provider/model
 * @param event the new state; null for a tombstone, which deletes a model's own entry once it again shares its
 *         provider's status
 */
public record AvailabilityUpdate(String key, AvailabilityEvent event) {

    static AvailabilityUpdate of(AvailabilityEvent event) {
        return new AvailabilityUpdate(event.key(), event);
    }

    static AvailabilityUpdate tombstone(String key) {
        return new AvailabilityUpdate(key, null);
    }

    public boolean isTombstone() {
        return event == null;
    }
}
