package io.tokenhub.routing.inbound;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.tokenhub.service.call.Pipelines;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Fewer system calls for the streams of one HTTP/2 connection from gateway-service. Vert.x flushes every chunk it
 * writes unless that same connection is being read, and a stream's chunks arrive from the provider's connection, so
 * every chunk of every stream cost routing-service a {@code writev} of its own to the gateway (a third of its CPU on
 * the benchmark's realistic stream, async-profiler, bench/README.md session 17). Netty's
 * {@link FlushConsolidationHandler} holds the flush until the event loop has handled the other connections that were
 * ready, so the chunks of all the streams that arrived together leave in one write.
 */
public final class WriteBatching {

    static final String HANDLER = "tokenhub-write-batching";

    /** Flushes let through at once after this many held ones, so a long burst still leaves in slices. */
    private static final int MAX_HELD_FLUSHES = 64;

    private WriteBatching() {}

    /** Installs the batching on the connection {@code request} came on, once, if it is HTTP/2. */
    public static void apply(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2 || !(request.connection() instanceof ConnectionBase connection)) {
            return;
        }
        ChannelPipeline pipeline = connection.channel().pipeline();
        if (pipeline.get(HANDLER) != null) {
            return;
        }
        // Behind TLS, so a batch is encrypted once rather than frame by frame.
        Pipelines.addFront(pipeline, HANDLER, new FlushConsolidationHandler(MAX_HELD_FLUSHES, true));
    }
}
