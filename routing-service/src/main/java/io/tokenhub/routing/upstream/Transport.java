package io.tokenhub.routing.upstream;

import io.tokenhub.service.call.Http2Client;
import io.tokenhub.service.call.LoopClients;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;

/**
 * The connections to one provider endpoint: HTTP/2 where it is configured, with HTTP/1.1 beside it for request bodies
 * larger than the stream window the provider grants. Over HTTP/2 a body may only run that far ahead of the provider's
 * window updates, each a round trip away: with the protocol's default 64 KB window a 1 MB prompt waits on some 30 of
 * them, which took 330 ms at a 10 ms round trip where HTTP/1.1, paced by TCP alone, took 22 ms (bench/README.md,
 * session 14). Small calls, nearly all of them, keep HTTP/2's multiplexing. Each kind of connection has a pool per
 * event loop ({@link LoopClients}), each allowed the configured maximum: admission ({@code limits.max-in-flight}) bounds
 * the calls, and all the calls of one gateway connection arrive on one loop.
 */
public final class Transport {

    /** What each stream may send before a window update while the provider has not said otherwise (RFC 9113 6.5.2). */
    static final int DEFAULT_STREAM_WINDOW = 65_535;

    private final LoopClients http;

    /** Only when {@link #http} speaks HTTP/2 and large bodies may leave it. */
    private final LoopClients http1;

    /** The stream window the provider's HTTP/2 connections last announced. */
    private volatile int streamWindow = DEFAULT_STREAM_WINDOW;

    /**
     * Opens no connection yet: pools for {@code options} as configured. With {@code http2}, calls use HTTP/2 on
     * {@code http2Pool}, and when {@code largeBodiesOverHttp1} a body past the provider's stream window goes on
     * HTTP/1.1 connections of {@code http1Pool}; without it, everything goes on {@code http1Pool}.
     */
    Transport(
            Vertx vertx,
            HttpClientOptions options,
            boolean ssl,
            boolean http2,
            boolean largeBodiesOverHttp1,
            PoolOptions http2Pool,
            PoolOptions http1Pool) {
        if (!http2) {
            this.http = new LoopClients(vertx, true, () -> vertx.createHttpClient(options, http1Pool));
            this.http1 = null;
            return;
        }
        // Copied before Http2Client.apply below turns the options themselves to HTTP/2.
        HttpClientOptions http1Options = new HttpClientOptions(options);
        this.http1 = largeBodiesOverHttp1
                ? new LoopClients(vertx, true, () -> vertx.createHttpClient(http1Options, http1Pool))
                : null;
        Http2Client.apply(options, ssl);
        this.http = new LoopClients(
                vertx,
                true,
                () -> vertx.httpClientBuilder()
                        .with(options)
                        .with(http2Pool)
                        .withConnectHandler(this::observe)
                        .build());
    }

    /** The calling event loop's connections for a request with a body of {@code length} bytes. */
    HttpClient client(int length) {
        return (http1 != null && length > streamWindow ? http1 : http).current();
    }

    int streamWindow() {
        return streamWindow;
    }

    void close() {
        http.close();
        if (http1 != null) {
            http1.close();
        }
    }

    private void observe(HttpConnection connection) {
        Http2Settings settings;
        try {
            settings = connection.remoteSettings();
        } catch (UnsupportedOperationException e) {
            // The provider declined HTTP/2 during TLS (ALPN): this connection has no settings, and no window either.
            return;
        }
        note(settings);
        connection.remoteSettingsHandler(this::note);
    }

    private void note(Http2Settings settings) {
        if (settings != null) {
            streamWindow = settings.getInitialWindowSize();
        }
    }
}
