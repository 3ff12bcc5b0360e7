package io.tokenhub.health.kafka;

import io.tokenhub.common.events.AvailabilityEvent;

/** Reads {@link AvailabilityEvent} records from tokenhub.provider-availability. */
public class AvailabilityEventDeserializer extends EventJsonDeserializer<AvailabilityEvent> {

    public AvailabilityEventDeserializer() {
        super(AvailabilityEvent.class);
    }
}
