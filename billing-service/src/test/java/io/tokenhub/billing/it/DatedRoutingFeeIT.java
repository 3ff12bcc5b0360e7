package io.tokenhub.billing.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenhub.billing.TestEvents;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * billing-service started with a dated routing-fee schedule in its configuration, as the Helm chart sets it: each
 * request is charged the fee in force when it ran, on either side of each boundary. The fees are written into the
 * profile and the expected ones are those literals, never read back from the service.
 */
@QuarkusTest
@TestProfile(DatedRoutingFeeIT.TwoDatedFees.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
class DatedRoutingFeeIT {

    /**
     * The boundaries: midnights in the past, so events on both sides are inside retention and none is in the future,
     * and the same in every class loader that initialises this class (unless one does so across midnight).
     */
    static final Instant RAISED = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(10));

    static final Instant RAISED_AGAIN = RAISED.plus(Duration.ofDays(9));

    /** The epoch fee (routing-fee-usd) and two later ones, the later given first: the schedule sorts them. */
    public static final class TwoDatedFees implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("tokenhub.billing.routing-fee-usd", "0.0001");
            config.put("tokenhub.billing.routing-fees[0].effective-from", RAISED_AGAIN.toString());
            config.put("tokenhub.billing.routing-fees[0].usd", "0.00035");
            config.put("tokenhub.billing.routing-fees[1].effective-from", RAISED.toString());
            config.put("tokenhub.billing.routing-fees[1].usd", "0.0002");
            return config;
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void eachRequestPaysTheFeeInForceWhenItRan() {
        String account = Fixtures.newAccount("fees");
        Map<Instant, String> feeAt = new LinkedHashMap<>();
        feeAt.put(RAISED.minus(Duration.ofDays(5)), "0.00010000");
        feeAt.put(RAISED.minusMillis(1), "0.00010000");
        feeAt.put(RAISED, "0.00020000");
        feeAt.put(RAISED_AGAIN.minusMillis(1), "0.00020000");
        feeAt.put(RAISED_AGAIN, "0.00035000");
        feeAt.put(RAISED_AGAIN.plus(Duration.ofHours(2)), "0.00035000");
        Map<String, String> expected = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            int i = 0;
            for (Map.Entry<Instant, String> e : feeAt.entrySet()) {
                UsageEvent event =
                        TestEvents.usage(account + "-" + i++, account, "openai", "gpt-4o", 1000, 0, 100, e.getKey());
                Fixtures.send(producer, Topics.USAGE, account, Fixtures.json(event));
                expected.put(event.requestId(), e.getValue());
            }
        }
        Map<String, String> charged = new LinkedHashMap<>();
        for (String requestId : expected.keySet()) {
            charged.put(requestId, ApiCalls.awaitLine(account, requestId).getString("routing_fee_usd"));
        }
        assertEquals(expected, charged);
        // 1000 x 2.50 + 100 x 10.00 = 3500 per 1M tokens for gpt-4o, and the fee of its time
        assertEquals("0.00385000", ApiCalls.awaitLine(account, account + "-5").getString("total_usd"));
    }
}
