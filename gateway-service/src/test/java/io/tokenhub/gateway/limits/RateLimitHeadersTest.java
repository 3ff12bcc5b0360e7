package io.tokenhub.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    @Test
    void resetsAreWrittenTheWayOpenAiWritesThem() {
        assertEquals("0s", RateLimitHeaders.duration(0));
        assertEquals("17ms", RateLimitHeaders.duration(17));
        assertEquals("1s", RateLimitHeaders.duration(1_000));
        assertEquals("1.5s", RateLimitHeaders.duration(1_500));
        assertEquals("6m0s", RateLimitHeaders.duration(360_000));
        assertEquals("1m30.25s", RateLimitHeaders.duration(90_250));
        assertEquals("2h0m1s", RateLimitHeaders.duration(7_201_000));
    }

    @Test
    void everyLimitedDimensionGetsItsThreeHeadersAndRefusalsARetryHint() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        RateLimitHeaders.apply(
                headers,
                new Decision(
                        false,
                        Optional.of(Decision.Dimension.TOKENS),
                        false,
                        1_200,
                        Optional.of(new Decision.Window(60, 59, 1_000)),
                        Optional.of(new Decision.Window(1000, 10, 59_400))));
        assertEquals("60", headers.get("x-ratelimit-limit-requests"));
        assertEquals("59", headers.get("x-ratelimit-remaining-requests"));
        assertEquals("1s", headers.get("x-ratelimit-reset-requests"));
        assertEquals("1000", headers.get("x-ratelimit-limit-tokens"));
        assertEquals("10", headers.get("x-ratelimit-remaining-tokens"));
        assertEquals("59.4s", headers.get("x-ratelimit-reset-tokens"));
        assertEquals("2", headers.get("Retry-After"));
        assertEquals("1200", headers.get("retry-after-ms"));

        MultiMap tooLarge = MultiMap.caseInsensitiveMultiMap();
        RateLimitHeaders.apply(
                tooLarge,
                new Decision(
                        false,
                        Optional.of(Decision.Dimension.TOKENS),
                        true,
                        60_000,
                        Optional.empty(),
                        Optional.of(new Decision.Window(1000, 1000, 0))));
        assertNull(tooLarge.get("Retry-After"), "a request that can never fit gets no retry hint");
        assertNull(tooLarge.get("retry-after-ms"));
        assertEquals("false", tooLarge.get("x-should-retry"));

        MultiMap unlimited = MultiMap.caseInsensitiveMultiMap();
        RateLimitHeaders.apply(unlimited, Decision.unlimited());
        assertNull(unlimited.get("x-ratelimit-limit-requests"));
        assertNull(unlimited.get("Retry-After"));
    }
}
