package io.tokenhub.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.simulator.openai.OpenAiSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves each simulated provider on its own loopback port. Every port also answers {@code PUT /__sim/behaviour}
 * (set how that provider answers), {@code DELETE /__sim/behaviour} (back to normal) and {@code GET /__sim/stats}.
 */
public final class SimulatorServer implements AutoCloseable {

    /** The ports CONTRACT.md gives the local simulators, in provider order. */
    public static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "openai", 9101, "anthropic", 9102, "google", 9103, "mistral", 9104, "meta", 9105);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, AtomicReference<Behaviour>> behaviours = new LinkedHashMap<>();
    private final Map<String, AtomicLong> requestCounts = new LinkedHashMap<>();

    private SimulatorServer(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Every simulator this module has, by provider name. */
    public static List<SimulatedProvider> all() {
        return List.of(new OpenAiSimulator());
    }

    /** Starts {@code providers} on the given ports (0 picks a free one). */
    public static SimulatorServer start(Map<String, Integer> wantedPorts) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
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

    /** The port a provider's simulator listens on. */
    public int port(String provider) {
        Integer port = ports.get(provider);
        if (port == null) {
            throw new IllegalArgumentException("no simulator running for " + provider);
        }
        return port;
    }

    public String baseUrl(String provider) {
        return "http://127.0.0.1:" + port(provider);
    }

    public void behave(String provider, Behaviour behaviour) {
        behaviours.get(provider).set(behaviour);
    }

    public long requestCount(String provider) {
        return requestCounts.get(provider).get();
    }

    private void listen(SimulatedProvider provider, int port) {
        AtomicReference<Behaviour> behaviour = new AtomicReference<>(Behaviour.normal());
        AtomicLong count = new AtomicLong();
        behaviours.put(provider.name(), behaviour);
        requestCounts.put(provider.name(), count);
        HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                .setTcpNoDelay(true).setCompressionSupported(false));
        http.requestHandler(req -> req.body().onSuccess(body -> {
            if (req.path().startsWith("/__sim/")) {
                control(req, body.toString(), behaviour, count);
                return;
            }
            count.incrementAndGet();
            Behaviour b = behaviour.get();
            if (b.dropConnection()) {
                req.connection().close();
                return;
            }
            if (b.latencyMs() > 0) {
                vertx.setTimer(b.latencyMs(), t -> provider.handle(req, body, b));
            } else {
                provider.handle(req, body, b);
            }
        }));
        // Several servers on one port spread connections over the event loops.
        for (int i = 0; i < 2; i++) {
            HttpServer s = i == 0 ? http : vertx.createHttpServer(new HttpServerOptions()
                    .setHost("127.0.0.1").setPort(actualPort(http, port)).setTcpNoDelay(true))
                    .requestHandler(http.requestHandler());
            try {
                s.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("simulator for " + provider.name() + " cannot listen on " + port, e);
            }
            servers.add(s);
        }
        ports.put(provider.name(), http.actualPort());
    }

    private static int actualPort(HttpServer first, int wanted) {
        return wanted == 0 ? first.actualPort() : wanted;
    }

    private void control(HttpServerRequest req, String body, AtomicReference<Behaviour> behaviour, AtomicLong count) {
        try {
            switch (req.method().name() + " " + req.path()) {
                case "PUT /__sim/behaviour" -> behaviour.set(JSON.readValue(body, Behaviour.class));
                case "DELETE /__sim/behaviour" -> behaviour.set(Behaviour.normal());
                case "GET /__sim/stats" -> {
                    req.response().putHeader("content-type", "application/json")
                            .end("{\"requests\":" + count.get() + "}");
                    return;
                }
                default -> {
                    req.response().setStatusCode(404).end();
                    return;
                }
            }
            req.response().setStatusCode(204).end();
        } catch (Exception e) {
            req.response().setStatusCode(400).end("bad behaviour: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }
}
