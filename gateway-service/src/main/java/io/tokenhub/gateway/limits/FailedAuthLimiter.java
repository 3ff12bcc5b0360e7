package io.tokenhub.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.util.NetUtil;
import io.tokenhub.gateway.config.GatewayConfig;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Failed authentications per client address, as a GCRA bucket of {@code tokenhub.keys.failed-auth-per-minute}: a
 * minute's allowance may fail at once, then one more each interval. Past it, a request from that address gets 429
 * before any lookup unless its key is valid and already in memory, so a client guessing behind a shared address (an
 * office, a NAT) cannot lock out its neighbours' working keys. Only well-formed keys count: a missing or malformed key
 * is refused without any lookup, so limiting it would save nothing and only hide a useful 401.
 *
 * <p>Counted in this process only, never in the shared store: the point is to spare this replica's lookups, and
 * sharing would make every guess cost a Redis write and let a crowd of addresses grow the store. So with N replicas an
 * address may fail up to N times the limit. Memory is bounded by {@code tokenhub.keys.failed-auth-addresses} buckets.
 */
@ApplicationScoped
public class FailedAuthLimiter {

    /**
     * A bucket untouched for a whole window is full again (or one unit short), so forgetting it loses nothing that
     * matters.
     */
    private static final Duration FORGET_AFTER = Duration.ofMinutes(1);
    /** Non-IP peers (never seen from TCP, possible from a forwarded header) are counted by at most this much text. */
    private static final int MAX_OTHER_CHARS = 64;

    private final long perMinute;
    private final Cache<String, Bucket> buckets;
    private final RedisCounterStore.LocalClock clock;

    @Inject
    public FailedAuthLimiter(GatewayConfig config) {
        this(config.keys().failedAuthPerMinute(), config.keys().failedAuthAddresses(), () -> System.nanoTime() / 1_000);
    }

    FailedAuthLimiter(long perMinute, long maxAddresses, RedisCounterStore.LocalClock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxAddresses)
                .expireAfterAccess(FORGET_AFTER)
                .build();
    }

    /** Milliseconds until {@code client} may fail again; 0 when it may now. */
    public long retryAfterMillis(String client) {
        if (perMinute <= 0) {
            return 0;
        }
        Bucket bucket = buckets.getIfPresent(client);
        return bucket == null ? 0 : (bucket.waitMicros(1, clock.micros()) + 999) / 1_000;
    }

    /** Counts one failed authentication of {@code client}. */
    public void failed(String client) {
        if (perMinute > 0) {
            buckets.get(client, key -> new Bucket(key, perMinute)).tryTake(1, clock.micros());
        }
    }

    /** The client a connection's peer address counts as; see {@link #client(String)}. */
    public static String client(SocketAddress remote) {
        return client(remote == null ? null : remote.hostAddress());
    }

    /**
     * An IPv4 address, or the /64 network of an IPv6 one: a single IPv6 host usually holds a whole /64 and could
     * otherwise fail from a fresh address every time.
     */
    static String client(String host) {
        byte[] ip = host == null ? null : NetUtil.createByteArrayFromIpAddressString(host);
        if (ip == null) {
            return host == null ? "" : host.substring(0, Math.min(host.length(), MAX_OTHER_CHARS));
        }
        if (ip.length == 16 && ipv4Mapped(ip)) {
            ip = new byte[] {ip[12], ip[13], ip[14], ip[15]};
        }
        if (ip.length == 4) {
            return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
        }
        return HexFormat.of().formatHex(ip, 0, 8) + "::/64";
    }

    private static boolean ipv4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }
}
