package io.tokenhub.gateway.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenhub.common.http.InternalSignature;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.gateway.config.GatewayConfig;
import io.tokenhub.gateway.keys.KeyPrincipal;
import io.tokenhub.service.call.CircuitBreaker;
import io.tokenhub.service.call.HeadTimeout;
import io.tokenhub.service.call.Http2Client;
import io.tokenhub.service.call.LoopClients;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientBuilder;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hop to routing-service. A Vert.x client rather than a REST client interface: the gateway relays bytes, streams
 * included, without parsing them, and a typed client would buffer and re-serialise every answer. HTTP/2 by default:
 * thousands of requests in flight share a few connections instead of opening one each (issue 18). The fault-tolerance
 * contract is the usual one: a retry only for connections that never opened (nothing was sent, so repeating cannot
 * double a request), a timeout until routing-service answers with a head, and a breaker that fails fast while
 * routing-service is down. A Vert.x timer and a lock-free breaker rather than SmallRye Fault Tolerance's interceptor,
 * whose Mutiny pipeline, context propagation and request scope cost more than the rest of the hop (issue 18).
 */
@ApplicationScoped
public class RoutingClient {

    private static final List<String> FORWARDED = List.of("content-type", "accept", "openai-beta");
    /** Longest wait for routing-service's response head: it answers within the provider timeouts and its fallback. */
    private static final long HEAD_TIMEOUT_MILLIS = 600_000;
    /** Further attempts for a connection that never opened, and the pause before each. */
    private static final int CONNECT_RETRIES = 2;

    private static final long CONNECT_RETRY_MILLIS = 25;
    /** How long a retired HTTP/2 connection's streams may still run: longer than any answer takes. */
    private static final long RETIRED_GRACE_MILLIS = 3_600_000;
    /** Longest wait for a TCP connection to routing-service, and over HTTP/2 for a stream on one being opened. */
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final Vertx vertx;
    private final LoopClients http;
    private final CircuitBreaker breaker;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final InternalSignature signature;
    private final Counter http1Answers;
    private final Counter http2Answers;
    /** Retired connections whose streams are still running. */
    private final Set<HttpConnection> retired = ConcurrentHashMap.newKeySet();
    /** Exchanges on the HTTP/2 hop from forwarding until their answer has ended; unused on HTTP/1.1. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Exchanges the HTTP/2 hop carries at most, every stream of every connection; 0 on HTTP/1.1. */
    private final int maxInFlight;

    public RoutingClient(Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this.vertx = vertx;
        // A full pool is this replica's own load, not routing-service failing.
        this.breaker = new CircuitBreaker(
                "routing-service",
                50,
                0.5,
                Duration.ofSeconds(5),
                2,
                ConnectionPoolTooBusyException.class::isInstance,
                System::nanoTime);
        URI uri = URI.create(config.gateway().routingUrl());
        this.ssl = "https".equalsIgnoreCase(uri.getScheme());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        this.signature = new InternalSignature(config.internal().secret());
        this.http1Answers = answers(registry, HttpVersion.HTTP_1_1);
        this.http2Answers = answers(registry, HttpVersion.HTTP_2);
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(ssl)
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setIdleTimeout(300);
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(config.gateway().routingMaxConnections())
                .setHttp2MaxSize(config.gateway().routingHttp2MaxConnections());
        boolean http2 = config.gateway().routingHttp2();
        if (http2) {
            Http2Client.apply(options, ssl)
                    .setHttp2MultiplexingLimit(config.gateway().routingHttp2MaxStreams());
            // Past the last stream of the last connection the client gets 503 with Retry-After at once (forward),
            // never a queue. Below it a request may wait, 2 s at most, only for a connection being opened: with no
            // wait queue Vert.x refuses every request of a burst but one while it opens a connection (at startup,
            // after a retirement, or when the burst needs one more), which cost a benchmark run 1,971 of 5,000.
            this.maxInFlight = config.gateway().routingHttp2MaxConnections()
                    * config.gateway().routingHttp2MaxStreams();
            pool.setMaxWaitQueueSize(maxInFlight);
        } else {
            // A connection per request in flight, opened for it, none waited for: past the last one 503 at once.
            this.maxInFlight = 0;
            pool.setMaxWaitQueueSize(0);
        }
        long maxAge = config.gateway().routingHttp2MaxConnectionAge().toMillis();
        // Over HTTP/2 a pool per event loop, each allowed every connection: the count above bounds the streams, and
        // all of one client connection's requests arrive on one loop. Over HTTP/1.1 one pool, whose size is the bound.
        this.http = new LoopClients(vertx, http2, () -> {
            HttpClientBuilder builder = vertx.httpClientBuilder().with(options).with(pool);
            if (http2) {
                builder.withConnectHandler(connection -> retireAfter(connection, maxAge));
            }
            return builder.build();
        });
    }

    /**
     * Retires a connection once {@code millis} old: it takes no new streams (the pool opens another, which the
     * Service may send to a routing pod added since) and closes once its streams have ended. A Kubernetes Service
     * balances connections, not streams; without this a few long-lived connections would pin the load to the pods that
     * existed when they opened. Retired by the gateway, not by a GOAWAY from routing-service, so no stream is ever
     * sent on a connection the other side is closing.
     */
    private void retireAfter(HttpConnection connection, long millis) {
        long timer = vertx.setTimer(millis, t -> {
            retired.add(connection);
            connection.shutdown(RETIRED_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        });
        connection.closeHandler(v -> {
            vertx.cancelTimer(timer);
            retired.remove(connection);
        });
    }

    private static Counter answers(MeterRegistry registry, HttpVersion version) {
        return Counter.builder("tokenhub.gateway.routing.answers")
                .description("Response heads from routing-service, by the protocol the hop spoke")
                .tag("protocol", version == HttpVersion.HTTP_2 ? "h2" : "http/1.1")
                .register(registry);
    }

    /**
     * Forwards one authenticated request and yields routing-service's response head, its body paused for the caller
     * to relay, on the calling event loop.
     */
    public Future<HttpClientResponse> forward(
            HttpMethod method,
            String uri,
            MultiMap clientHeaders,
            Buffer body,
            String requestId,
            String clientRequestId,
            KeyPrincipal principal) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(uri)
                .putHeader(TokenHubHeaders.REQUEST_ID, requestId)
                .putHeader(TokenHubHeaders.ACCOUNT_ID, principal.accountId())
                .putHeader(TokenHubHeaders.KEY_ID, principal.keyId())
                .putHeader(TokenHubHeaders.KEY_NAME, URLEncoder.encode(principal.keyName(), StandardCharsets.UTF_8));
        if (clientRequestId != null) {
            options.putHeader(TokenHubHeaders.CLIENT_REQUEST_ID, clientRequestId);
        }
        for (String name : FORWARDED) {
            String value = clientHeaders.get(name);
            if (value != null) {
                options.putHeader(name, value);
            }
        }
        if (maxInFlight > 0) {
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                return Future.failedFuture(new ConnectionPoolTooBusyException(
                        "all " + maxInFlight + " streams to routing-service are in use"));
            }
            // The wait is for a connection being opened, never for a stream to free up (the count above).
            options.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        }
        Promise<HttpClientResponse> head = Promise.promise();
        attempt(options, body, requestId, principal, CONNECT_RETRIES, head);
        Future<HttpClientResponse> answer = head.future().onSuccess(this::count);
        if (maxInFlight > 0) {
            // The stream is taken until the answer has ended, been reset or failed: end() completes or fails on each.
            answer.onComplete(ar -> {
                if (ar.succeeded()) {
                    ar.result().end().onComplete(v -> inFlight.decrementAndGet());
                } else {
                    inFlight.decrementAndGet();
                }
            });
        }
        return answer;
    }

    /** Exchanges the HTTP/2 hop carries now, from forwarding until their answer has ended. */
    int inFlight() {
        return inFlight.get();
    }

    /** Counts the head by protocol, so a hop that fell back to HTTP/1.1 (ALPN declined, say) shows in the metrics. */
    private void count(HttpClientResponse response) {
        (response.version() == HttpVersion.HTTP_2 ? http2Answers : http1Answers).increment();
    }

    private void attempt(
            RequestOptions options,
            Buffer body,
            String requestId,
            KeyPrincipal principal,
            int retriesLeft,
            Promise<HttpClientResponse> head) {
        breaker.call(() -> exchange(options, body, requestId, principal)).onComplete(ar -> {
            if (ar.succeeded()) {
                head.complete(ar.result());
            } else if (ar.cause() instanceof ConnectException && retriesLeft > 0) {
                vertx.setTimer(
                        CONNECT_RETRY_MILLIS, t -> attempt(options, body, requestId, principal, retriesLeft - 1, head));
            } else {
                head.fail(ar.cause());
            }
        });
    }

    private Future<HttpClientResponse> exchange(
            RequestOptions options, Buffer body, String requestId, KeyPrincipal principal) {
        return HeadTimeout.exchange(vertx, http.current(), options, HEAD_TIMEOUT_MILLIS, "routing-service", req -> {
            // Signed once a connection or stream is free, not when waiting for one: a request that waited longer than
            // routing's clock skew would otherwise arrive already expired.
            long now = System.currentTimeMillis() / 1000;
            req.putHeader(TokenHubHeaders.INTERNAL_TIMESTAMP, Long.toString(now));
            req.putHeader(
                    TokenHubHeaders.INTERNAL_SIGNATURE,
                    signature.sign(
                            options.getMethod().name(),
                            options.getURI(),
                            principal.accountId(),
                            principal.keyId(),
                            requestId,
                            now));
            return body == null ? req.send() : req.send(body);
        });
    }

    @PreDestroy
    void close() {
        // Out of the pool, so closing the client would leave them to their grace period and hold up shutdown.
        retired.forEach(HttpConnection::close);
        http.close();
    }
}
