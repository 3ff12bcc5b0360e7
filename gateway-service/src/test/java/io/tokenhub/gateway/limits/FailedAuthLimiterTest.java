package io.tokenhub.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed authentications per client address, on a clock the test moves. */
class FailedAuthLimiterTest {

    private final AtomicLong micros = new AtomicLong(1_000_000_000L);

    @Test
    void anAddressMayFailAMinutesAllowanceAtOnceThenOneEachInterval() {
        FailedAuthLimiter limiter = new FailedAuthLimiter(60, 1_000, micros::get);
        for (int i = 0; i < 60; i++) {
            assertEquals(0, limiter.retryAfterMillis("192.0.2.1"), "failure " + i + " is within the allowance");
            limiter.failed("192.0.2.1");
        }
        // 60 a minute: the next one fits a second later.
        long wait = limiter.retryAfterMillis("192.0.2.1");
        assertTrue(wait > 990 && wait <= 1_000, "wait " + wait);
        assertEquals(0, limiter.retryAfterMillis("192.0.2.2"), "another address is not held");
        micros.addAndGet(500_000);
        assertTrue(limiter.retryAfterMillis("192.0.2.1") > 0);
        micros.addAndGet(500_000);
        assertEquals(0, limiter.retryAfterMillis("192.0.2.1"));
        limiter.failed("192.0.2.1");
        assertTrue(limiter.retryAfterMillis("192.0.2.1") > 990);
    }

    @Test
    void failuresWhileHeldTakeNothingSoTheAddressRecoversAtTheRate() {
        FailedAuthLimiter limiter = new FailedAuthLimiter(2, 1_000, micros::get);
        limiter.failed("198.51.100.7");
        limiter.failed("198.51.100.7");
        long held = limiter.retryAfterMillis("198.51.100.7");
        for (int i = 0; i < 100; i++) {
            limiter.failed("198.51.100.7");
        }
        assertEquals(held, limiter.retryAfterMillis("198.51.100.7"));
        assertTrue(held > 29_000 && held <= 30_000, "held " + held);
    }

    @Test
    void zeroMeansNoLimit() {
        FailedAuthLimiter limiter = new FailedAuthLimiter(0, 1_000, micros::get);
        for (int i = 0; i < 1_000; i++) {
            limiter.failed("192.0.2.1");
        }
        assertEquals(0, limiter.retryAfterMillis("192.0.2.1"));
    }

    @Test
    void ipv6AddressesCountByTheirSlash64AndMappedIpv4AsIpv4() {
        assertEquals("20010db8000000aa::/64", FailedAuthLimiter.client("2001:db8:0:aa::1"));
        assertEquals(
                FailedAuthLimiter.client("2001:db8:0:aa::1"),
                FailedAuthLimiter.client("2001:db8:0:aa:ffff:1234:5678:9abc"));
        assertNotEquals(FailedAuthLimiter.client("2001:db8:0:aa::1"), FailedAuthLimiter.client("2001:db8:0:ab::1"));
        assertEquals("192.0.2.1", FailedAuthLimiter.client("192.0.2.1"));
        assertEquals("192.0.2.1", FailedAuthLimiter.client("::ffff:192.0.2.1"));
        assertNotEquals(FailedAuthLimiter.client("192.0.2.1"), FailedAuthLimiter.client("192.0.2.2"));
        assertEquals("", FailedAuthLimiter.client((String) null));
        assertEquals(64, FailedAuthLimiter.client("not-an-address-".repeat(10)).length());
    }

    @Test
    void oneIpv6HostCannotEscapeTheLimitByChangingItsInterfaceId() {
        FailedAuthLimiter limiter = new FailedAuthLimiter(3, 1_000, micros::get);
        for (int i = 0; i < 3; i++) {
            limiter.failed(FailedAuthLimiter.client("2001:db8:1:2::" + Integer.toHexString(i + 1)));
        }
        assertTrue(limiter.retryAfterMillis(FailedAuthLimiter.client("2001:db8:1:2::beef")) > 0);
    }
}
