package io.tokenhub.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokenhub.gateway.config.GatewayConfig;
import io.tokenhub.gateway.keys.KeyPrincipal;
import io.tokenhub.infra.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hop against a server that, like routing-service, takes h2c with prior knowledge and HTTP/1.1 on one port, and
 * here allows one stream per connection: the protocol the server saw, a stream past its streams refused at once, a
 * reset that reaches the server as the stream's close, an old connection retired without cutting its streams, the
 * usage trailer and a megabyte body.
 */
class RoutingClientTest {

    private static final KeyPrincipal PRINCIPAL = new KeyPrincipal("key-1", "acct-1", "a key", null);

    private Vertx vertx;
    private int port;
    private final AtomicReference<String> version = new AtomicReference<>();
    /** The gateway's end of the connection the last request came on. */
    private final AtomicInteger peer = new AtomicInteger();

    private final Promise<Void> heldClosed = Promise.promise();

    @BeforeEach
    void server() throws Exception {
        vertx = Vertx.vertx();
        port = FreePorts.next();
        await(vertx.createHttpServer(
                        new HttpServerOptions().setInitialSettings(new Http2Settings().setMaxConcurrentStreams(1)))
                .requestHandler(req -> req.body().onSuccess(body -> {
                    version.set(req.version().name());
                    peer.set(req.remoteAddress().port());
                    HttpServerResponse response = req.response();
                    switch (req.path()) {
                        case "/hold" -> {
                            response.closeHandler(v -> heldClosed.tryComplete());
                            response.setChunked(true).write("data: {}\n\n");
                        }
                        case "/trailer" -> {
                            response.setChunked(true).write("data: {}\n\n");
                            response.putTrailer("x-tokenhub-usage-tokens", "42").end("data: [DONE]\n\n");
                        }
                        default -> response.end(Integer.toString(body.length()));
                    }
                }))
                .listen(port, "127.0.0.1"));
    }

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    @Test
    void pastItsStreamsARequestIsRefusedAtOnceAndAResetReachesRoutingAsTheStreamsClose() throws Exception {
        RoutingClient client = client(true, Duration.ofHours(1), 1);
        HttpClientResponse holding = await(forward(client, "/hold", null));
        assertEquals("HTTP_2", version.get());

        long start = System.nanoTime();
        ExecutionException refused =
                assertThrows(ExecutionException.class, () -> await(forward(client, "/echo", null)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertInstanceOf(ConnectionPoolTooBusyException.class, refused.getCause());
        assertTrue(millis < 1_000, "refused after " + millis + " ms, as if queued");
        // What the gateway does when its client hangs up mid-stream.
        holding.request().reset();
        await(heldClosed.future());
        assertEquals("0", await(body(forward(client, "/echo", null))).toString());
    }

    @Test
    void aBurstOnAConnectionStillOpeningWaitsForItInsteadOfBeingRefused() throws Exception {
        // A burst on a client with no connection yet, as at startup or after a retirement, against a server that
        // allows every stream. With no wait queue Vert.x refuses all but one while it opens the connection.
        port = FreePorts.next();
        await(vertx.createHttpServer(
                        new HttpServerOptions().setInitialSettings(new Http2Settings().setMaxConcurrentStreams(100)))
                .requestHandler(req -> req.response().end("0"))
                .listen(port, "127.0.0.1"));
        RoutingClient cold = client(true);
        List<Future<Buffer>> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(body(forward(cold, "/echo", null)));
        }
        for (Future<Buffer> answer : burst) {
            assertEquals("0", await(answer).toString());
        }
        // Given back as each answer ends, on the client's event loop, just after the body is handed over.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (cold.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, cold.inFlight(), "every stream was given back once its answer ended");
    }

    @Test
    void anOldConnectionTakesNoNewStreamsAndRunsItsOwnToTheirEnd() throws Exception {
        RoutingClient client = client(true, Duration.ofMillis(300));
        await(forward(client, "/hold", null));
        int first = peer.get();
        Thread.sleep(800);

        // One stream per connection: this one only fits on a new connection, beside the old one still streaming.
        await(body(forward(client, "/echo", null)));

        assertNotEquals(first, peer.get(), "the request went to a new connection");
        assertFalse(heldClosed.future().isComplete(), "the old connection's stream was cut");
        // Shutting down does not wait for the old connection's grace period.
        client.close();
        await(heldClosed.future());
    }

    @Test
    void aStreamsUsageTrailerArrivesOverHttp2() throws Exception {
        HttpClientResponse answer = await(forward(client(true), "/trailer", null));
        await(body(Future.succeededFuture(answer)));

        assertEquals("HTTP_2", version.get());
        assertEquals("42", answer.getTrailer("x-tokenhub-usage-tokens"));
    }

    @Test
    void aMegabyteBodyArrivesWhole() throws Exception {
        Buffer body = Buffer.buffer(new byte[1024 * 1024]);

        String received = await(body(forward(client(true), "/echo", body))).toString();

        assertEquals("HTTP_2", version.get());
        assertEquals(Integer.toString(body.length()), received);
    }

    @Test
    void switchedOffTheHopSpeaksHttp11() throws Exception {
        await(body(forward(client(false), "/echo", null)));

        assertEquals("HTTP_1_1", version.get());
    }

    private RoutingClient client(boolean http2) {
        return client(http2, Duration.ofHours(1));
    }

    private RoutingClient client(boolean http2, Duration maxAge) {
        return client(http2, maxAge, 100);
    }

    private RoutingClient client(boolean http2, Duration maxAge, int maxStreams) {
        GatewayConfig.Gateway gateway = config(
                GatewayConfig.Gateway.class,
                Map.of(
                        "routingUrl",
                        "http://127.0.0.1:" + port,
                        "routingHttp2",
                        http2,
                        "routingHttp2MaxConnections",
                        1,
                        "routingHttp2MaxStreams",
                        maxStreams,
                        "routingHttp2MaxConnectionAge",
                        maxAge,
                        "routingMaxConnections",
                        1));
        GatewayConfig.Internal internal =
                config(GatewayConfig.Internal.class, Map.of("secret", "test-internal-secret-0123456789"));
        GatewayConfig config = config(GatewayConfig.class, Map.of("gateway", gateway, "internal", internal));
        return new RoutingClient(vertx, config, new SimpleMeterRegistry());
    }

    private static Future<HttpClientResponse> forward(RoutingClient client, String uri, Buffer body) {
        return client.forward(
                body == null ? HttpMethod.GET : HttpMethod.POST,
                uri,
                MultiMap.caseInsensitiveMultiMap(),
                body,
                "req-1",
                null,
                PRINCIPAL);
    }

    /** The whole body of an answer, which the client hands over paused for its caller to relay. */
    private static Future<Buffer> body(Future<HttpClientResponse> answer) {
        return answer.compose(response -> {
            Future<Buffer> body = response.body();
            response.resume();
            return body;
        });
    }

    /** A config mapping answering {@code values} by method name; what RoutingClient does not read is absent. */
    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            Object value = values.get(method.getName());
            if (value == null) {
                throw new UnsupportedOperationException(method.getName());
            }
            return value;
        }));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
