package io.tokenhub.gateway.proxy;

import io.tokenhub.common.http.InternalSignature;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.gateway.config.GatewayConfig;
import io.tokenhub.gateway.keys.KeyPrincipal;
import io.tokenhub.service.call.CircuitBreaker;
import io.tokenhub.service.call.HeadTimeout;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
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

/**
 * The hop to routing-service. A Vert.x client rather than a REST client interface: the gateway relays bytes, streams
 * included, without parsing them, and a typed client would buffer and re-serialise every answer. The fault-tolerance
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

    private final Vertx vertx;
    private final HttpClient http;
    private final CircuitBreaker breaker;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final InternalSignature signature;

    public RoutingClient(Vertx vertx, GatewayConfig config) {
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
        this.http = vertx.createHttpClient(
                new HttpClientOptions()
                        .setSsl(ssl)
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setConnectTimeout(2_000)
                        .setIdleTimeout(300),
                // A connection per request in flight, and none waited for: past the pool the client gets 503 with
                // Retry-After at once instead of a queue whose wait would also outlast the signature's validity.
                new PoolOptions()
                        .setHttp1MaxSize(config.gateway().routingMaxConnections())
                        .setMaxWaitQueueSize(0));
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
        Promise<HttpClientResponse> head = Promise.promise();
        attempt(options, body, requestId, principal, CONNECT_RETRIES, head);
        return head.future();
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
        return HeadTimeout.exchange(vertx, http, options, HEAD_TIMEOUT_MILLIS, "routing-service", req -> {
            // Signed once a connection is free, not when queued for one: a request that waited in the pool longer
            // than routing's clock skew would otherwise arrive already expired.
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
        http.close();
    }
}
