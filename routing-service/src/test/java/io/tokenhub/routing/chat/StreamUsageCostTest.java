package io.tokenhub.routing.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.pricing.Charge;
import io.tokenhub.routing.stream.SseTranslation;
import io.tokenhub.routing.usage.UsageCost;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 16 item 7, streamed: the usage chunk of every provider's stream, and only that chunk, gets the cost the relay
 * adds ({@link SseTranslation#closing} with {@link UsageCost#withCost(String, Charge)}), written as the exact decimals;
 * a stream the client asked no usage for is not touched and nothing is priced for it. Runs each provider's
 * {@link StreamFixtures}.
 */
class StreamUsageCostTest {

    private static final ObjectMapper JSON = StreamFixtures.JSON;
    /** Amounts a double would print as 1.0E-7 or round: the chunk must carry these very digits. */
    private static final Charge CHARGE = new Charge(
            true, null, null, new BigDecimal("0.00000010"), new BigDecimal("0.0001"), new BigDecimal("0.00010010"));

    @ParameterizedTest
    @EnumSource(Provider.class)
    void theUsageChunkAloneCarriesTheExactCost(Provider provider) throws IOException {
        AtomicInteger priced = new AtomicInteger();
        List<String> plain = frames(provider, true, UnaryOperator.identity());
        List<String> costed = frames(provider, true, chunk -> {
            priced.incrementAndGet();
            return UsageCost.withCost(chunk, CHARGE);
        });
        assertEquals(1, priced.get(), "priced once, for the usage chunk only");
        assertEquals("[DONE]", costed.get(costed.size() - 1));
        assertEquals(plain.size(), costed.size());
        // Every chunk but the usage chunk goes out byte for byte as before.
        assertEquals(plain.subList(0, plain.size() - 2), costed.subList(0, costed.size() - 2));

        String usageChunk = costed.get(costed.size() - 2);
        assertTrue(
                usageChunk.contains(
                        "\"cost\":0.00010010,\"cost_details\":{\"provider_cost\":0.00000010,\"routing_fee\":0.0001}"),
                usageChunk);
        JsonNode chunk = JSON.readTree(usageChunk);
        assertTrue(chunk.path("choices").isArray() && chunk.path("choices").isEmpty(), usageChunk);
        // The usage the provider reported is all there, unchanged, beside the cost.
        ObjectNode usage = (ObjectNode) chunk.path("usage").deepCopy();
        usage.remove(List.of("cost", "cost_details"));
        assertEquals(JSON.readTree(plain.get(plain.size() - 2)).path("usage"), usage);
        assertTrue(usage.path("total_tokens").asLong() > 0, usageChunk);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aStreamWithoutIncludeUsageIsNotTouched(Provider provider) throws IOException {
        AtomicInteger priced = new AtomicInteger();
        List<String> costed = frames(provider, false, chunk -> {
            priced.incrementAndGet();
            return UsageCost.withCost(chunk, CHARGE);
        });
        assertEquals(0, priced.get(), "nothing to price without a usage chunk");
        assertEquals(frames(provider, false, UnaryOperator.identity()), costed);
        assertFalse(costed.stream().anyMatch(f -> f.contains("\"cost\"")), costed.toString());
        assertEquals("[DONE]", costed.get(costed.size() - 1));
    }

    /** The {@code data:} payloads the client receives for the provider's fixture stream. */
    private static List<String> frames(Provider provider, boolean includeUsage, UnaryOperator<String> usageCost) {
        SseTranslation translation =
                StreamFixtures.translation(provider, StreamFixtures.request(provider, includeUsage));
        byte[] stream = StreamFixtures.fixture(provider, "stream-native.sse");
        Buffer out = Buffer.buffer();
        for (int i = 0; i < stream.length; i += 64) {
            out.appendBuffer(
                    translation.feed(Buffer.buffer(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + 64)))));
        }
        out.appendBuffer(translation.end());
        assertFalse(translation.failed(), provider + " fixture stream failed");
        out.appendBuffer(translation.closing(usageCost));
        // Asking again gives nothing: the last frames go out once.
        assertEquals(0, translation.closing(usageCost).length());
        List<String> payloads = new ArrayList<>();
        for (String frame : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
            if (frame.startsWith("data: ")) {
                payloads.add(frame.substring("data: ".length()));
            }
        }
        return payloads;
    }
}
