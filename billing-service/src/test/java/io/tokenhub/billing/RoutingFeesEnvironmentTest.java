package io.tokenhub.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tokenhub.common.pricing.RoutingFees;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dated routing fees as the Helm chart hands them over, in environment variables
 * ({@code TOKENHUB_BILLING_ROUTING_FEES_<i>__EFFECTIVE_FROM}, {@code _<i>__USD}), read into {@link BillingConfig}: the
 * names the chart writes must be the ones the list mapping finds, or a deployment would silently keep the old fee.
 */
class RoutingFeesEnvironmentTest {

    @Test
    void theChartsVariablesBecomeTheDatedFeeSchedule() {
        Map<String, String> env = Map.of(
                "TOKENHUB_BILLING_ROUTING_FEE_USD", "0.0001",
                "TOKENHUB_BILLING_ROUTING_FEES_0__EFFECTIVE_FROM", "2027-01-01T00:00:00Z",
                "TOKENHUB_BILLING_ROUTING_FEES_0__USD", "0.0002",
                "TOKENHUB_BILLING_ROUTING_FEES_1__EFFECTIVE_FROM", "2027-07-01T00:00:00Z",
                "TOKENHUB_BILLING_ROUTING_FEES_1__USD", "0.00025");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(BillingConfig.class)
                .build();
        BillingConfig billing = config.getConfigMapping(BillingConfig.class);

        assertEquals(2, billing.routingFees().size());
        RoutingFees fees = new RoutingFees(billing.routingFeeUsd(), billing.routingFees());
        assertEquals(new BigDecimal("0.00010000"), fees.at(Instant.parse("2026-12-31T23:59:59Z")));
        assertEquals(new BigDecimal("0.00020000"), fees.at(Instant.parse("2027-01-01T00:00:00Z")));
        assertEquals(new BigDecimal("0.00025000"), fees.at(Instant.parse("2027-07-01T00:00:00Z")));
    }
}
