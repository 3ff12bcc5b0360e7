package io.tokenhub.service.call;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;

/** How TokenHub's Vert.x clients speak HTTP/2 to a server that takes many calls on one connection. */
public final class Http2Client {

    /** Unread bytes one HTTP/2 connection's streams may hold together before the server waits for a window update. */
    public static final int CONNECTION_WINDOW = 16 * 1024 * 1024;

    private Http2Client() {}

    /**
     * Makes {@code options} speak HTTP/2: on https negotiated by ALPN, so a server may still pick HTTP/1.1; on plain
     * http with prior knowledge (h2c), since an upgrade would cost every new connection an HTTP/1.1 round trip first.
     */
    public static HttpClientOptions apply(HttpClientOptions options, boolean ssl) {
        return options.setProtocolVersion(HttpVersion.HTTP_2)
                .setUseAlpn(ssl)
                .setHttp2ClearTextUpgrade(false)
                // A paused stream's unread bytes count against its connection's window: at the default 64 KB one slow
                // reader would stall every other stream on the connection.
                .setHttp2ConnectionWindowSize(CONNECTION_WINDOW);
    }
}
