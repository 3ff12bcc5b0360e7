package io.tokenhub.health.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.ProviderOutcome;

/**
 * Reads tokenhub.provider-outcomes records: an array of one provider's {@link ProviderOutcome}s in the order routing
 * saw them, or a single outcome, as routing-service published them before it sent them in batches (during a rolling
 * deploy both arrive).
 */
public class ProviderOutcomeDeserializer extends EventJsonDeserializer<ProviderOutcome[]> {

    public ProviderOutcomeDeserializer() {
        super(
                ProviderOutcome[].class,
                EventJson.MAPPER
                        .readerFor(ProviderOutcome[].class)
                        .with(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY));
    }
}
