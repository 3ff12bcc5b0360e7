package io.tokenhub.routing.strategy;

import io.tokenhub.common.catalog.CatalogModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time to first token per provider and model as an exponentially weighted moving average, from what real traffic
 * sees (non-streamed answers count their time to the response head). A failure counts as a slow answer, so a
 * provider that errors loses its place without being banned. Old figures fade: a provider nobody has called for a
 * while is treated as unmeasured, which makes the latency strategy try it again once it may have recovered.
 */
@ApplicationScoped
public class LatencyTracker {

    /** Weight of the newest observation. */
    static final double ALPHA = 0.2;
    /** After this long without an observation a figure no longer counts. */
    static final long STALE_NANOS = 30_000_000_000L;

    private final Map<String, Ewma> byModel = new ConcurrentHashMap<>();

    public void record(CatalogModel model, long millis) {
        long now = System.nanoTime();
        byModel.compute(
                key(model),
                (k, old) -> old == null || now - old.at() > STALE_NANOS
                        ? new Ewma(millis, now)
                        : new Ewma(old.value() + ALPHA * (millis - old.value()), now));
    }

    /** The current average in milliseconds; negative when unmeasured or stale. */
    public double estimate(CatalogModel model) {
        Ewma e = byModel.get(key(model));
        return e == null || System.nanoTime() - e.at() > STALE_NANOS ? -1 : e.value();
    }

    private static String key(CatalogModel model) {
        return model.provider().wireName() + "/" + model.id();
    }

    private record Ewma(double value, long at) {}
}
