package io.tokenhub.routing.upstream;

import io.netty.buffer.Unpooled;
import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.config.ProviderEndpoints;
import io.tokenhub.routing.config.ProviderEndpoints.EndpointConfig;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.config.RoutingConfig.ProviderConfig;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.service.call.CircuitBreaker;
import io.tokenhub.service.call.HeadTimeout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The one way out to the providers. Each configured endpoint gets its own connection pool, its own timeout until the
 * response head (a Vert.x timer) and its own circuit breaker, so one provider's outage never cuts off another. Not
 * SmallRye Fault Tolerance: its guard wrapped every call in a Mutiny pipeline with context propagation, a cost on
 * every request that a timer and a lock-free breaker do not have (issue 18).
 */
@ApplicationScoped
public class ProviderClient {

    /** Each provider's endpoints, the one at its {@code base-url} first. */
    private final Map<Provider, List<Endpoint>> endpoints = new EnumMap<>(Provider.class);

    private final Vertx vertx;

    public ProviderClient(Vertx vertx, RoutingConfig config, ProviderEndpoints configured) {
        this.vertx = vertx;
        int maxInFlight = config.limits().maxInFlight();
        for (EndpointConfig endpoint : configured.all()) {
            endpoints
                    .computeIfAbsent(endpoint.provider(), p -> new ArrayList<>())
                    .add(endpoint(vertx, endpoint, maxInFlight));
        }
        Log.infof("providers configured: %s", endpoints.values());
    }

    /** The provider's endpoint at its {@code base-url} (or its first), empty when none is configured. */
    public Optional<Endpoint> endpoint(Provider provider) {
        List<Endpoint> list = endpoints.get(provider);
        return list == null ? Optional.empty() : Optional.of(list.get(0));
    }

    /**
     * The provider's first endpoint in {@code region}, or with no region given its first endpoint; empty when it has
     * none there.
     */
    public Optional<Endpoint> endpoint(Provider provider, Optional<String> region) {
        if (region.isEmpty()) {
            return endpoint(provider);
        }
        return endpoints.getOrDefault(provider, List.of()).stream()
                .filter(e -> e.region().equals(region.get()))
                .findFirst();
    }

    /**
     * Sends {@code request} and yields the response head with its body not yet read (the stream is paused, so the
     * caller decides how to consume it), on the calling event loop. 5xx and 429 fail with
     * {@link ProviderFailureException}; connection errors, {@link TimeoutException} and an open circuit breaker
     * ({@link CircuitBreaker.OpenException}) fail as they are.
     */
    public Future<HttpClientResponse> send(Endpoint endpoint, NativeRequest request) {
        return endpoint.breaker().call(() -> exchange(endpoint, request));
    }

    private Future<HttpClientResponse> exchange(Endpoint endpoint, NativeRequest request) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setURI(endpoint.basePath() + request.path());
        // HTTP/2 allows lower-case header names only; HTTP/1.1 ignores their case.
        request.headers().forEach((name, value) -> options.putHeader(name.toLowerCase(Locale.ROOT), value));
        return HeadTimeout.exchange(
                        vertx,
                        endpoint.transport().client(request.body().length),
                        options,
                        endpoint.timeoutMillis(),
                        endpoint.label(),
                        // Wrapped, not copied: the body is never changed once built, and may be megabytes.
                        req -> req.send(Buffer.buffer(Unpooled.wrappedBuffer(request.body()))))
                .compose(response -> {
                    int status = response.statusCode();
                    if (status < 500 && status != 429) {
                        return Future.succeededFuture(response);
                    }
                    Future<HttpClientResponse> failed = response.body()
                            .transform(body -> Future.failedFuture(new ProviderFailureException(
                                    status,
                                    response.headers(),
                                    body.succeeded() ? body.result().getBytes() : new byte[0])));
                    response.resume();
                    return failed;
                });
    }

    private static Endpoint endpoint(Vertx vertx, EndpointConfig endpoint, int maxInFlight) {
        ProviderConfig config = endpoint.settings();
        String baseUrl = endpoint.baseUrl();
        URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        if (!ssl && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(endpoint.key() + ".base-url must be an http(s) URL");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(ssl)
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout(300)
                .setMaxInitialLineLength(16384)
                // Our own span describes the call (Tracing.providerCall): Vert.x's would record the URL and hand our
                // traceparent to a third party.
                .setTracingPolicy(TracingPolicy.IGNORE);
        PoolOptions http2Pool = new PoolOptions()
                .setHttp2MaxSize(config.http2MaxConnections())
                // For a provider that declines HTTP/2 during TLS.
                .setHttp1MaxSize(config.maxConnections())
                // HTTP/2 calls wait only while connections are being opened (a burst on a cold pool) or when every
                // connection's streams are taken; admission (max-in-flight) bounds that wait, never the pool.
                .setMaxWaitQueueSize(maxInFlight);
        PoolOptions http1Pool = new PoolOptions()
                .setHttp1MaxSize(config.maxConnections())
                // HTTP/1.1 opens a connection per call and refuses one past max-connections instead of queueing it.
                .setMaxWaitQueueSize(0);
        Transport transport =
                new Transport(vertx, options, ssl, config.http2(), config.largeBodiesOverHttp1(), http2Pool, http1Pool);
        CircuitBreaker breaker = new CircuitBreaker(
                "provider " + endpoint.label(),
                config.circuitBreakerVolume(),
                config.circuitBreakerFailureRatio(),
                config.circuitBreakerDelay(),
                1,
                // A full pool is this replica's limit, not the provider failing.
                ConnectionPoolTooBusyException.class::isInstance,
                System::nanoTime);
        return new Endpoint(
                endpoint.provider(),
                endpoint.label(),
                endpoint.region(),
                uri.getHost(),
                port,
                ssl,
                uri.getRawPath() == null ? "" : uri.getRawPath(),
                endpoint.apiKey().orElse(""),
                config.timeout().toMillis(),
                config.streamIdleTimeout().toMillis(),
                transport,
                breaker);
    }

    @PreDestroy
    void close() {
        endpoints.values().forEach(list -> list.forEach(e -> e.transport().close()));
    }

    /**
     * A provider as configured.
     *
     * @param provider which one
     * @param label the provider's wire name, with the endpoint's name for one of its further {@code endpoints}
     * @param region where it processes requests
     * @param host host of the base URL
     * @param port port of the base URL
     * @param ssl whether the base URL is https
     * @param basePath path of the base URL, prepended to every adapter path
     * @param apiKey TokenHub's key at the provider
     * @param timeoutMillis longest wait for a response head
     * @param streamIdleMillis longest silence allowed inside a stream
     * @param transport its connection pools
     * @param breaker its circuit breaker
     */
    public record Endpoint(
            Provider provider,
            String label,
            String region,
            String host,
            int port,
            boolean ssl,
            String basePath,
            String apiKey,
            long timeoutMillis,
            long streamIdleMillis,
            Transport transport,
            CircuitBreaker breaker) {

        @Override
        public String toString() {
            return "Endpoint[" + label + " (" + region + ") " + (ssl ? "https" : "http") + "://" + host + ":" + port
                    + basePath + "]";
        }
    }
}
