package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The routing fee and its dated successors reach routing-service (the usage.cost a caller sees) and billing-service
 * (the ledger) as the same variables with the same values, since the two must agree (docs/configuration.md).
 */
class RoutingFeeTest {

    private static final List<Component> CHARGERS = List.of(Component.ROUTING, Component.BILLING);

    @Test
    void bothServicesGetTheSameDatedFees() {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("routingFee.usd", "0.0001");
        sets.put("routingFee.dated[0].effectiveFrom", "2027-01-01T00:00:00Z");
        sets.put("routingFee.dated[0].usd", "0.0002");
        sets.put("routingFee.dated[1].effectiveFrom", "2027-07-01T00:00:00Z");
        sets.put("routingFee.dated[1].usd", "0.00025");
        Rendering rendering = new Rendering("dated-fees", Chart.template(null, sets));

        Map<String, String> expected = Map.of(
                "TOKENHUB_BILLING_ROUTING_FEE_USD", "0.0001",
                "TOKENHUB_BILLING_ROUTING_FEES_0__EFFECTIVE_FROM", "2027-01-01T00:00:00Z",
                "TOKENHUB_BILLING_ROUTING_FEES_0__USD", "0.0002",
                "TOKENHUB_BILLING_ROUTING_FEES_1__EFFECTIVE_FROM", "2027-07-01T00:00:00Z",
                "TOKENHUB_BILLING_ROUTING_FEES_1__USD", "0.00025");
        for (Component c : CHARGERS) {
            assertThat(feeEnv(rendering, c)).as(c.moduleName).isEqualTo(expected);
        }
    }

    @Test
    void byDefaultBothServicesChargeTheSameSingleFee() {
        for (Component c : CHARGERS) {
            assertThat(feeEnv(Chart.defaults(), c))
                    .as(c.moduleName)
                    .isEqualTo(Map.of("TOKENHUB_BILLING_ROUTING_FEE_USD", "0.0001"));
        }
    }

    @Test
    void aFeeThatIsNotADecimalOrADateThatIsNotAnInstantIsRefused() {
        assertThatThrownBy(() -> Chart.template(null, Map.of("routingFee.usd", "0.1 USD")))
                .hasMessageContaining("routingFee");
        assertThatThrownBy(() -> Chart.template(
                        null,
                        Map.of("routingFee.dated[0].effectiveFrom", "2027-01-01", "routingFee.dated[0].usd", "0.0002")))
                .hasMessageContaining("effectiveFrom");
    }

    /** The container's routing-fee variables and their values. */
    private static Map<String, String> feeEnv(Rendering rendering, Component c) {
        JsonNode container = Rendering.container(rendering.deployment(c.moduleName));
        Map<String, String> fees = new LinkedHashMap<>();
        container.path("env").forEach(e -> {
            String name = e.path("name").asText();
            if (name.startsWith("TOKENHUB_BILLING_ROUTING_FEE")) {
                fees.put(name, e.path("value").asText());
            }
        });
        return fees;
    }
}
