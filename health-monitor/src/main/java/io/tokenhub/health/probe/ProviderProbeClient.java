package io.tokenhub.health.probe;

import io.netty.channel.ConnectTimeoutException;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.health.config.HealthConfig;
import io.tokenhub.health.config.ProvidersConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Probes providers with their list-models call and turns every way a probe can go into a {@link ProbeResult}; it
 * never throws.
 *
 * <p>Deliberately without retries or a circuit breaker: a failed probe is the very signal health-monitor exists to
 * report (hysteresis in the status rules, not a retry, absorbs a single blip), and a probe is already one call per
 * interval, exactly the trial call a half-open breaker would make. The one guard is the overall timeout.
 */
@ApplicationScoped
public class ProviderProbeClient {

    private static final long READ_TIMEOUT_SLACK_MS = 1000;

    private final ProvidersConfig providers;
    private final Duration timeout;
    private final Map<Provider, ProviderModelsApi> clients = new EnumMap<>(Provider.class);

    public ProviderProbeClient(ProvidersConfig providers, HealthConfig health) {
        this.providers = providers;
        this.timeout = health.probeTimeout();
    }

    /** Probes {@code provider}, which must have a base URL. */
    public Uni<ProbeResult> probe(Provider provider) {
        ProviderModelsApi api = client(provider);
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return api.list()
                    .ifNoItem()
                    .after(timeout)
                    .fail()
                    .map(response -> {
                        try (response) {
                            return result(provider, response.getStatus(), started);
                        }
                    })
                    .onFailure()
                    .recoverWithItem(failure -> {
                        ProbeResult.Failure kind =
                                isTimeout(failure) ? ProbeResult.Failure.TIMEOUT : ProbeResult.Failure.CONNECTION;
                        Log.debugf("Probe of %s failed: %s", provider.wireName(), failure.toString());
                        return new ProbeResult(provider, kind, 0, elapsedMs(started), Instant.now());
                    });
        });
    }

    private static ProbeResult result(Provider provider, int status, long started) {
        return new ProbeResult(provider, failureFor(status), status, elapsedMs(started), Instant.now());
    }

    /** What an HTTP status on a models list means for the provider; null when it answered. */
    static ProbeResult.Failure failureFor(int status) {
        if (status >= 200 && status < 300) {
            return null;
        }
        if (status == 429) {
            return ProbeResult.Failure.RATE_LIMITED;
        }
        if (status >= 500) {
            return ProbeResult.Failure.SERVER_ERROR;
        }
        // 1xx and 3xx do not answer a models list either; 4xx means the key or the base URL is wrong.
        return ProbeResult.Failure.REJECTED;
    }

    private synchronized ProviderModelsApi client(Provider provider) {
        return clients.computeIfAbsent(provider, p -> {
            String baseUrl = providers
                    .endpoint(p)
                    .baseUrl()
                    .filter(url -> !url.isBlank())
                    .orElseThrow(() -> new IllegalStateException(p.wireName() + " has no base URL to probe"));
            // Without a key the probe goes out unauthenticated and the provider's refusal is the verdict.
            Map<String, String> headers = providers
                    .endpoint(p)
                    .apiKey()
                    .filter(k -> !k.isBlank())
                    .map(ProviderWire.of(p)::authHeaders)
                    .orElse(Map.of());
            return QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(
                            stripTrailingSlash(baseUrl) + ProviderWire.of(p).modelsPath()))
                    .register((ClientRequestFilter) request -> headers.forEach(request.getHeaders()::putSingle))
                    .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    // The overall timeout in probe() decides; this one only frees a connection that hangs on.
                    .readTimeout(timeout.toMillis() + READ_TIMEOUT_SLACK_MS, TimeUnit.MILLISECONDS)
                    .disableDefaultMapper(true)
                    .followRedirects(false)
                    .build(ProviderModelsApi.class);
        });
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof SocketTimeoutException
                    || t instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
