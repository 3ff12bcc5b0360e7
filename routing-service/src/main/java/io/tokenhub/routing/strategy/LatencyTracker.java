package io.tokenhub.routing.strategy;

import io.tokenhub.common.catalog.CatalogModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time to first token per provider and model as an exponentially weighted moving average, from what real traffic
 * sees (non-streamed answers count their time to the response head). A failure counts as a slow answer, so a
 * provider that errors loses its place without being banned. Output speed (tokens per second of answered requests) is
 * kept the same way, for requests sorted by throughput. Old figures fade: a provider nobody has called for a while is
 * treated as unmeasured, which makes the latency strategy try it again once it may have recovered.
 */
@ApplicationScoped
public class LatencyTracker {

    /** Weight of the newest observation. */
    static final double ALPHA = 0.2;
    /** After this long without an observation a figure no longer counts. */
    static final long STALE_NANOS = 30_000_000_000L;

    private final Map<String, Ewma> byModel = new ConcurrentHashMap<>();
    private final Map<String, Ewma> throughputByModel = new ConcurrentHashMap<>();

    public void record(CatalogModel model, long millis) {
        update(byModel, model, millis);
    }

    /** The current average in milliseconds; negative when unmeasured or stale. */
    public double estimate(CatalogModel model) {
        return current(byModel, model);
    }

    /** One answered request's output speed. */
    public void recordThroughput(CatalogModel model, double tokensPerSecond) {
        update(throughputByModel, model, tokensPerSecond);
    }

    /** The current average output speed in tokens per second; negative when unmeasured or stale. */
    public double throughput(CatalogModel model) {
        return current(throughputByModel, model);
    }

    private static void update(Map<String, Ewma> averages, CatalogModel model, double value) {
        long now = System.nanoTime();
        averages.compute(
                key(model),
                (k, old) -> old == null || now - old.at() > STALE_NANOS
                        ? new Ewma(value, now)
                        : new Ewma(old.value() + ALPHA * (value - old.value()), now));
    }

    private static double current(Map<String, Ewma> averages, CatalogModel model) {
        Ewma e = averages.get(key(model));
        return e == null || System.nanoTime() - e.at() > STALE_NANOS ? -1 : e.value();
    }

    private static String key(CatalogModel model) {
        return model.provider().wireName() + "/" + model.id();
    }

    private record Ewma(double value, long at) {}
}
