package io.tokenhub.gateway.limits;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Optional;

/**
 * The counters every replica shares, in Redis (or anything that speaks its protocol: Valkey, KeyDB, a managed Redis).
 * One script call per push, whatever the number of counters: it adds each replica's units to each bucket's TAT on the
 * server's clock and answers every bucket's new TAT, so a replica learns in the same round trip what the others used.
 * Keys expire once their bucket is full again, so idle keys and accounts cost nothing.
 */
final class RedisCounterStore implements AutoCloseable {

    /**
     * KEYS: the buckets. ARGV: per bucket its emission interval (microseconds per unit) then the units to add (0 only
     * reads). Answers each bucket's TAT and, last, the server's clock, all in microseconds.
     */
    private static final String SCRIPT = """
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
            local out = {}
            for i, key in ipairs(KEYS) do
              local interval = tonumber(ARGV[2 * i - 1])
              local units = tonumber(ARGV[2 * i])
              local tat = tonumber(redis.call('GET', key) or '0')
              if tat < now then tat = now end
              if units ~= 0 then
                tat = tat + units * interval
                if tat > now then
                  redis.call('SET', key, string.format('%.3f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
                else
                  tat = now
                  redis.call('DEL', key)
                end
              end
              out[i] = tat
            end
            out[#KEYS + 1] = now
            return out
            """;

    private final Redis redis;

    RedisCounterStore(Vertx vertx, String url, Optional<String> password) {
        RedisOptions options = new RedisOptions()
                .setConnectionString(url)
                .setMaxPoolSize(4)
                .setMaxPoolWaiting(256)
                .setMaxWaitingHandlers(4096);
        password.filter(p -> !p.isEmpty()).ifPresent(options::setPassword);
        this.redis = Redis.createClient(vertx, options);
    }

    /**
     * Adds {@code units[i]} to {@code buckets.get(i)} and answers every bucket's TAT converted to this replica's clock,
     * taking the server's clock in the answer as "now" (the round trip is negligible next to a minute's window).
     */
    Future<double[]> push(List<Bucket> buckets, long[] units, LocalClock clock) {
        Request request = Request.cmd(Command.EVAL).arg(SCRIPT).arg(buckets.size());
        for (Bucket bucket : buckets) {
            request.arg(bucket.storeKey);
        }
        for (int i = 0; i < buckets.size(); i++) {
            request.arg(Double.toString(buckets.get(i).interval)).arg(units[i]);
        }
        return redis.send(request).map(response -> {
            long localNow = clock.micros();
            double offset = response.get(buckets.size()).toLong() - (double) localNow;
            double[] tats = new double[buckets.size()];
            for (int i = 0; i < tats.length; i++) {
                Response tat = response.get(i);
                tats[i] = tat.toLong() - offset;
            }
            return tats;
        });
    }

    @Override
    public void close() {
        redis.close();
    }

    /** The replica's clock in microseconds; monotonic, so a wall-clock step never frees or blocks a bucket. */
    @FunctionalInterface
    interface LocalClock {
        long micros();
    }
}
