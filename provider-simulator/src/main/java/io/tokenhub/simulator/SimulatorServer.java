package io.tokenhub.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.anthropic.AnthropicSimulator;
import io.tokenhub.simulator.google.GoogleSimulator;
import io.tokenhub.simulator.meta.MetaSimulator;
import io.tokenhub.simulator.mistral.MistralSimulator;
import io.tokenhub.simulator.openai.OpenAiSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves each simulated provider on its own loopback port. Besides the provider's API, every port answers the control
 * API under {@code /__sim/} (see the module README): {@code PUT|GET|DELETE /__sim/behaviour},
 * {@code GET|DELETE /__sim/stats} and {@code GET /__sim/last-request}. A request may also carry its own behaviour as
 * JSON in the {@value #BEHAVIOUR_HEADER} header, which wins over the port's behaviour for that request only.
 */
public final class SimulatorServer implements AutoCloseable {

    /** The ports docs/api.md gives the local simulators. */
    public static final Map<String, Integer> DEFAULT_PORTS =
            Map.of("openai", 9101, "anthropic", 9102, "google", 9103, "mistral", 9104, "meta", 9105);

    /** Request header holding a {@link Behaviour} as JSON for that one request. */
    public static final String BEHAVIOUR_HEADER = "x-sim-behaviour";

    private static final System.Logger LOG = System.getLogger(SimulatorServer.class.getName());
    private static final int EVENT_LOOPS = 2;
    private static final long MAX_CONCURRENT_STREAMS = 100;

    private final Vertx vertx;
    private final Map<String, ProviderState> providers = new LinkedHashMap<>();

    private SimulatorServer(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Every simulator this module has. */
    public static List<SimulatedProvider> all() {
        return List.of(
                new OpenAiSimulator(),
                new AnthropicSimulator(),
                new GoogleSimulator(),
                new MistralSimulator(),
                new MetaSimulator());
    }

    /** Starts the providers named in {@code wantedPorts} on those ports (0 picks a free one). */
    public static SimulatorServer start(Map<String, Integer> wantedPorts) {
        for (String name : wantedPorts.keySet()) {
            if (!DEFAULT_PORTS.containsKey(name)) {
                throw new IllegalArgumentException("no simulator for provider " + name);
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
        SimulatorServer server = new SimulatorServer(vertx);
        try {
            for (SimulatedProvider provider : all()) {
                Integer port = wantedPorts.get(provider.name());
                if (port != null) {
                    server.listen(provider, port);
                }
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Starts all five simulators on free ports, the way tests want them. */
    public static SimulatorServer startOnFreePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        DEFAULT_PORTS.keySet().forEach(p -> ports.put(p, 0));
        return start(ports);
    }

    /**
     * Runs all five simulators until the process is stopped. Each port comes from the environment variable
     * {@code TOKENHUB_SIM_<PROVIDER>_PORT} when set, else from {@link #DEFAULT_PORTS}.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        DEFAULT_PORTS.forEach((provider, port) -> {
            String env = System.getenv("TOKENHUB_SIM_" + provider.toUpperCase(Locale.ROOT) + "_PORT");
            ports.put(provider, env == null || env.isBlank() ? port : Integer.parseInt(env.trim()));
        });
        SimulatorServer server = start(ports);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        server.providers
                .keySet()
                .forEach(p -> LOG.log(
                        System.Logger.Level.INFO, "{0} simulator listening, base URL {1}", p, server.sdkBaseUrl(p)));
        stopped.await();
    }

    /** The port a provider's simulator listens on. */
    public int port(String provider) {
        return state(provider).port;
    }

    /** {@code http://127.0.0.1:<port>}: the simulator's origin, where the control API lives. */
    public String baseUrl(String provider) {
        return "http://127.0.0.1:" + port(provider);
    }

    /**
     * The base URL in the sense of the provider's official SDK and of {@code tokenhub.providers.<p>.base-url}:
     * {@link #baseUrl} plus {@code /v1} for OpenAI, {@code /compat/v1} for Meta, nothing for the others.
     */
    public String sdkBaseUrl(String provider) {
        return baseUrl(provider) + state(provider).provider.basePath();
    }

    /** Sets how a provider answers from now on (for {@link Behaviour#times()} requests when that is set). */
    public void behave(String provider, Behaviour behaviour) {
        state(provider).set(behaviour);
    }

    /** Back to normal behaviour, zero requests counted, no request recorded. */
    public void reset(String provider) {
        ProviderState state = state(provider);
        state.set(Behaviour.normal());
        state.count.set(0);
        state.last.set(null);
    }

    /** Provider API requests served since start or the last reset; control calls are not counted. */
    public long requestCount(String provider) {
        return state(provider).count.get();
    }

    /** The last provider API request served, if any. */
    public Optional<RecordedRequest> lastRequest(String provider) {
        return Optional.ofNullable(state(provider).last.get());
    }

    private ProviderState state(String provider) {
        ProviderState state = providers.get(provider);
        if (state == null) {
            throw new IllegalArgumentException("no simulator running for " + provider);
        }
        return state;
    }

    private void listen(SimulatedProvider provider, int port) {
        ProviderState state = new ProviderState(provider);
        // HTTP/1.1 and h2c (prior knowledge or upgrade) on the same port, as the providers serve HTTP/1.1 and h2. Each
        // HTTP/2 connection takes as many streams at once as the providers' front ends typically allow, so a client's
        // pool has to open several for thousands of calls, as it would against them.
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                .setHttp2ClearTextEnabled(true)
                .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS));
        // One server per event loop on the same port: Vert.x spreads the connections over them. Servers share a
        // random port when they ask for the same negative port, one such number per provider.
        int listenPort = port == 0 ? -(providers.size() + 1) : port;
        for (int i = 0; i < EVENT_LOOPS; i++) {
            HttpServer http = vertx.createHttpServer(new HttpServerOptions(options).setPort(listenPort))
                    .requestHandler(req -> req.body().onSuccess(body -> dispatch(state, req, body)));
            try {
                http.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("simulator for " + provider.name() + " cannot listen on " + port, e);
            }
            state.port = http.actualPort();
        }
        providers.put(provider.name(), state);
    }

    private void dispatch(ProviderState state, HttpServerRequest req, Buffer body) {
        if (req.path().startsWith("/__sim/")) {
            control(state, req, body);
            return;
        }
        Behaviour behaviour;
        try {
            String header = req.getHeader(BEHAVIOUR_HEADER);
            behaviour = header != null
                    ? Json.MAPPER.readValue(header, Behaviour.class)
                    : state.next(req.method() == HttpMethod.GET);
        } catch (JsonProcessingException e) {
            controlError(req, "bad " + BEHAVIOUR_HEADER + " header: " + e.getOriginalMessage());
            return;
        }
        state.count.incrementAndGet();
        state.last.set(
                new RecordedRequest(req.version(), req.method().name(), req.path(), req.query(), req.headers(), body));
        if (behaviour.latencyMs() > 0) {
            vertx.setTimer(behaviour.latencyMs(), t -> answer(state.provider, req, body, behaviour));
        } else {
            answer(state.provider, req, body, behaviour);
        }
    }

    private static void answer(SimulatedProvider provider, HttpServerRequest req, Buffer body, Behaviour behaviour) {
        if (behaviour.dropConnection()) {
            req.connection().close();
            return;
        }
        try {
            provider.handle(req, body, behaviour);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "simulator for " + provider.name() + " failed on " + req.path(), e);
            if (!req.response().headWritten()) {
                req.response().setStatusCode(500).end();
            } else {
                req.connection().close();
            }
        }
    }

    private void control(ProviderState state, HttpServerRequest req, Buffer body) {
        switch (req.method().name() + " " + req.path()) {
            case "PUT /__sim/behaviour" -> {
                try {
                    state.set(Json.MAPPER.readValue(body.getBytes(), Behaviour.class));
                    req.response().setStatusCode(204).end();
                } catch (IOException e) {
                    String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                    controlError(req, "bad behaviour: " + message);
                }
            }
            case "GET /__sim/behaviour" -> {
                Active active = state.active.get();
                ObjectNode out = Json.MAPPER.valueToTree(active.behaviour);
                if (active.behaviour.times() > 0) {
                    out.put("remaining", Math.max(0, active.remaining.get()));
                }
                Json.send(req.response(), 200, out);
            }
            case "DELETE /__sim/behaviour" -> {
                state.set(Behaviour.normal());
                req.response().setStatusCode(204).end();
            }
            case "GET /__sim/stats" ->
                Json.send(
                        req.response(),
                        200,
                        Json.object().put("provider", state.provider.name()).put("requests", state.count.get()));
            case "DELETE /__sim/stats" -> {
                state.count.set(0);
                req.response().setStatusCode(204).end();
            }
            case "GET /__sim/last-request" -> {
                RecordedRequest last = state.last.get();
                if (last == null) {
                    Json.send(req.response(), 404, Json.object().put("error", "no request served yet"));
                } else {
                    Json.send(req.response(), 200, last.toJson());
                }
            }
            default ->
                Json.send(
                        req.response(),
                        404,
                        Json.object()
                                .put(
                                        "error",
                                        "unknown control call " + req.method().name() + " " + req.path()));
        }
    }

    private static void controlError(HttpServerRequest req, String message) {
        Json.send(req.response(), 400, Json.object().put("error", message));
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "simulators did not stop cleanly", e);
        }
    }

    /** A behaviour and, when it is limited by {@code times}, how many requests it still applies to. */
    private record Active(Behaviour behaviour, AtomicInteger remaining) {

        static Active of(Behaviour behaviour) {
            return new Active(behaviour, new AtomicInteger(behaviour.times()));
        }
    }

    private static final class ProviderState {
        private static final Active NORMAL = Active.of(Behaviour.normal());

        final SimulatedProvider provider;
        final AtomicReference<Active> active = new AtomicReference<>(NORMAL);
        final AtomicLong count = new AtomicLong();
        final AtomicReference<RecordedRequest> last = new AtomicReference<>();
        int port;

        ProviderState(SimulatedProvider provider) {
            this.provider = provider;
        }

        void set(Behaviour behaviour) {
            active.set(Active.of(behaviour));
        }

        /**
         * The behaviour for the next request, counting down a limited one and returning to normal after it. A limited
         * behaviour is meant for the calls a test makes: model listings (health probes among them) pass it by, so a
         * probe landing in between cannot use it up. A lasting behaviour, an outage, applies to them too.
         */
        Behaviour next(boolean listing) {
            while (true) {
                Active current = active.get();
                if (current.behaviour.times() == 0) {
                    return current.behaviour;
                }
                if (listing) {
                    return Behaviour.normal();
                }
                int left = current.remaining.decrementAndGet();
                if (left >= 0) {
                    if (left == 0) {
                        active.compareAndSet(current, NORMAL);
                    }
                    return current.behaviour;
                }
                active.compareAndSet(current, NORMAL);
            }
        }
    }
}
