package io.tokenhub.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ProviderProbeClientTest {

    @Test
    void anyTwoHundredIsAnAnswer() {
        assertNull(ProviderProbeClient.failureFor(200));
        assertNull(ProviderProbeClient.failureFor(204));
    }

    @Test
    void serverErrorsIncludingAnthropicOverloadedAreProviderFailures() {
        assertEquals(ProbeResult.Failure.SERVER_ERROR, ProviderProbeClient.failureFor(500));
        assertEquals(ProbeResult.Failure.SERVER_ERROR, ProviderProbeClient.failureFor(503));
        assertEquals(ProbeResult.Failure.SERVER_ERROR, ProviderProbeClient.failureFor(529));
    }

    @Test
    void rateLimitAndRefusalAreFailuresOfTheirOwnKind() {
        assertEquals(ProbeResult.Failure.RATE_LIMITED, ProviderProbeClient.failureFor(429));
        assertEquals(ProbeResult.Failure.REJECTED, ProviderProbeClient.failureFor(401));
        assertEquals(ProbeResult.Failure.REJECTED, ProviderProbeClient.failureFor(404));
        assertEquals(ProbeResult.Failure.REJECTED, ProviderProbeClient.failureFor(301));
    }
}
