package io.tokenhub.routing.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one bound on how many provider-calling requests this replica holds at once ({@code tokenhub.limits
 * .max-in-flight}). Memory is what a request in flight costs, so this limit, not a connection pool, decides when the
 * replica is full; past it a request is answered 503 with Retry-After at once instead of waiting in a queue nobody
 * sees. A slot is held from admission until the response to the gateway ends or its connection or stream closes,
 * which every path reaches: answer, error, end of stream, client cancel, timeout.
 */
@Singleton
public class Admission {

    /** The answer past the limit; a slot frees within a provider's answer time, so a second is a fair retry hint. */
    static final OpenAiError AT_CAPACITY = new OpenAiError(
            503, "server_error", "TokenHub is at capacity. Please retry shortly.", null, "service_unavailable", 1L);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int limit;
    private final Counter refused;

    @Inject
    public Admission(RoutingConfig config, MeterRegistry registry) {
        this(config.limits().maxInFlight(), registry);
    }

    Admission(int limit, MeterRegistry registry) {
        this.limit = limit;
        Gauge.builder("tokenhub_in_flight_requests", inFlight, AtomicInteger::get)
                .description("Provider-calling requests this replica is serving")
                .register(registry);
        Gauge.builder("tokenhub_in_flight_limit", () -> limit)
                .description("Provider-calling requests this replica serves at most (tokenhub.limits.max-in-flight)")
                .register(registry);
        this.refused = Counter.builder("tokenhub_admission_refused_total")
                .description("Requests answered 503 because this replica was at its in-flight limit")
                .register(registry);
    }

    /**
     * Takes a slot for the request of {@code ctx} and gives it back, once, when its response is over; false, taking
     * nothing, when every slot is taken.
     */
    boolean admit(RoutingContext ctx) {
        Slot slot = acquire();
        if (slot == null) {
            return false;
        }
        ctx.addEndHandler(slot);
        return true;
    }

    /** A slot, or null when every one is taken. */
    Slot acquire() {
        int current;
        do {
            current = inFlight.get();
            if (current >= limit) {
                refused.increment();
                return null;
            }
        } while (!inFlight.compareAndSet(current, current + 1));
        return new Slot();
    }

    /** Gives its slot back on the response's end, close or failure, whichever comes first, and never twice. */
    final class Slot implements Handler<AsyncResult<Void>> {

        private final AtomicBoolean released = new AtomicBoolean();

        @Override
        public void handle(AsyncResult<Void> ended) {
            if (released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        }
    }
}
