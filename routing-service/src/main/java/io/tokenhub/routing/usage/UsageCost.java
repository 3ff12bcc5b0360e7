package io.tokenhub.routing.usage;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.pricing.Charge;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.common.pricing.UnpriceableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The cost shown to the caller, as OpenRouter clients read it: {@code usage.cost} (provider cost plus routing fee)
 * and {@code usage.cost_details}. Priced by common's {@link PriceCalculator} from the very event billing will price,
 * so it equals the ledger line's {@code total_usd}. Amounts are JSON numbers written from the decimal, never through
 * a double, and the rest of the body keeps its numbers exactly (floats are read as decimals).
 */
public final class UsageCost {

    /**
     * Reads and writes JSON keeping every number exactly: what rewrites a body that carries a cost (another API's
     * answer translated from a chat completion) must use, so the cost stays equal to the ledger line.
     */
    public static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private UsageCost() {}

    /** The charge billing will make for {@code event}; empty when the catalog cannot price it (billing dead-letters it). */
    public static Optional<Charge> charge(PriceCalculator pricing, UsageEvent event) {
        try {
            return Optional.of(pricing.charge(event));
        } catch (UnpriceableException e) {
            Log.warnf("request %s: no cost to show: %s", event.requestId(), e.reason());
            return Optional.empty();
        }
    }

    /** A stream's usage chunk ({@code choices: []} and {@code usage}) with the cost added as to a whole answer. */
    public static String withCost(String usageChunk, Charge charge) {
        return new String(withCost(usageChunk.getBytes(StandardCharsets.UTF_8), charge), StandardCharsets.UTF_8);
    }

    /**
     * {@code body} (an OpenAI chat completion, or a stream's usage chunk) with the cost added to its {@code usage};
     * unchanged without one.
     */
    public static byte[] withCost(byte[] body, Charge charge) {
        try {
            JsonNode root = EXACT.readTree(body);
            if (!(root instanceof ObjectNode object) || !(object.get("usage") instanceof ObjectNode usage)) {
                return body;
            }
            usage.put("cost", charge.totalUsd());
            usage.putObject("cost_details")
                    .put("provider_cost", charge.providerCostUsd())
                    .put("routing_fee", charge.routingFeeUsd());
            return EXACT.writeValueAsBytes(object);
        } catch (IOException e) {
            // Our own translated body: unreadable means a bug, and the answer still goes out without the cost.
            Log.warnf(
                    "response body not re-readable to add its cost: %s",
                    e.getClass().getSimpleName());
            return body;
        }
    }
}
