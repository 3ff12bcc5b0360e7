package io.tokenhub.health.outcomes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.events.ProviderOutcome;
import io.tokenhub.common.events.ProviderOutcome.FailureKind;
import io.tokenhub.health.status.Observation;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderOutcomeConsumerTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aSuccessIsAHealthyCall() {
        Observation observation =
                ProviderOutcomeConsumer.observation(outcome(true, null)).orElseThrow();
        assertTrue(observation.success());
        assertEquals(AT, observation.at());
        assertEquals(120, observation.latencyMs());
        assertEquals(Observation.Source.TRAFFIC, observation.source());
    }

    @Test
    void everyProviderFailureCountsAgainstIt() {
        for (FailureKind kind : EnumSet.complementOf(EnumSet.of(FailureKind.CIRCUIT_OPEN))) {
            Optional<Observation> observation = ProviderOutcomeConsumer.observation(outcome(false, kind));
            assertTrue(observation.isPresent(), kind.name());
            assertFalse(observation.get().success(), kind.name());
        }
        assertFalse(
                ProviderOutcomeConsumer.observation(outcome(false, null))
                        .orElseThrow()
                        .success(),
                "an unclassified failure is still a failure");
    }

    @Test
    void aCallSkippedByRoutingsBreakerIsNoObservation() {
        assertEquals(Optional.empty(), ProviderOutcomeConsumer.observation(outcome(false, FailureKind.CIRCUIT_OPEN)));
    }

    private static ProviderOutcome outcome(boolean success, FailureKind kind) {
        return new ProviderOutcome("openai", "gpt-4o", success, kind, 120, AT);
    }
}
