package io.tokenhub.health.kafka;

import io.tokenhub.common.events.ProviderOutcome;

/** Reads {@link ProviderOutcome} records from tokenhub.provider-outcomes. */
public class ProviderOutcomeDeserializer extends EventJsonDeserializer<ProviderOutcome> {

    public ProviderOutcomeDeserializer() {
        super(ProviderOutcome.class);
    }
}
