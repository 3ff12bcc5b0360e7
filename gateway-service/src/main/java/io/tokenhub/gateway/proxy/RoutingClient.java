package io.tokenhub.gateway.proxy;

import io.smallrye.mutiny.Uni;
import io.tokenhub.common.http.InternalSignature;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.gateway.config.GatewayConfig;
import io.tokenhub.gateway.keys.KeyPrincipal;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The hop to routing-service. A Vert.x client rather than a REST client interface: the gateway relays bytes, streams
 * included, without parsing them, and a typed client would buffer and re-serialise every answer. The fault-tolerance
 * contract is the usual one: a retry only for connections that never opened (nothing was sent, so repeating cannot
 * double a request), a timeout until routing-service answers with a head, and a breaker that fails fast while
 * routing-service is down.
 */
@ApplicationScoped
public class RoutingClient {

    private static final List<String> FORWARDED = List.of("content-type", "accept", "openai-beta");

    private final HttpClient http;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final InternalSignature signature;

    public RoutingClient(Vertx vertx, GatewayConfig config) {
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
     * to relay.
     */
    @Timeout(value = 600_000)
    @Retry(maxRetries = 2, delay = 25, jitter = 0, retryOn = ConnectException.class)
    @CircuitBreaker(
            requestVolumeThreshold = 50,
            failureRatio = 0.5,
            delay = 5_000,
            successThreshold = 2,
            // A full pool is this replica's own load, not routing-service failing.
            skipOn = ConnectionPoolTooBusyException.class)
    public Uni<HttpClientResponse> forward(
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
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        return Uni.createFrom()
                .<HttpClientResponse>emitter(emitter -> http.request(options)
                        .compose(req -> {
                            // Signed once a connection is free, not when queued for one: a request that waited in
                            // the pool longer than routing's clock skew would otherwise arrive already expired.
                            long now = System.currentTimeMillis() / 1000;
                            req.putHeader(TokenHubHeaders.INTERNAL_TIMESTAMP, Long.toString(now));
                            req.putHeader(
                                    TokenHubHeaders.INTERNAL_SIGNATURE,
                                    signature.sign(
                                            method.name(),
                                            uri,
                                            principal.accountId(),
                                            principal.keyId(),
                                            requestId,
                                            now));
                            sent.set(req);
                            return body == null ? req.send() : req.send(body);
                        })
                        .onComplete(ar -> {
                            if (ar.succeeded()) {
                                ar.result().pause();
                                emitter.complete(ar.result());
                            } else {
                                emitter.fail(ar.cause());
                            }
                        }))
                .onCancellation()
                .invoke(() -> {
                    HttpClientRequest req = sent.get();
                    if (req != null) {
                        req.reset();
                    }
                });
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
