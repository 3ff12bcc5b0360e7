package io.tokenhub.gateway.edge;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.HttpServerStart;
import io.tokenhub.common.http.ErrorBody;
import io.tokenhub.gateway.config.GatewayConfig;
import io.tokenhub.gateway.http.RequestIds;
import io.tokenhub.service.call.Pipelines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for request heads, against slowloris: a client must send a complete request line and headers within
 * {@code tokenhub.limits.header-timeout} of connecting, and again of the end of each answer on a kept-alive
 * connection, or it gets a 408 and the connection is closed (a connection that sent nothing is just closed). An idle timeout cannot do this, since a client dripping
 * one byte at a time is never idle; and Vert.x has no header timeout while Quarkus offers no hook on new connections.
 * So this puts a timer at the front of each new connection's Netty pipeline through the listening channel, the one
 * place every connection passes before Vert.x sets it up. The timer is removed as soon as a request reaches the
 * router. If the Vert.x internals it relies on ever change, it logs that and the gateway runs without it.
 */
@ApplicationScoped
public class HeadDeadline {

    static final String HANDLER = "tokenhub-head-deadline";
    private static final String ACCEPTOR = "tokenhub-head-deadline-acceptor";

    private final Vertx vertx;
    private final long timeoutMillis;
    private final byte[] timeoutResponse;

    public HeadDeadline(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.timeoutMillis = config.limits().headerTimeout().toMillis();
        this.timeoutResponse = ErrorBody.json(
                        "The request headers did not arrive within "
                                + config.limits().headerTimeout().toSeconds() + " s.",
                        "invalid_request_error",
                        null,
                        "request_timeout")
                .getBytes(StandardCharsets.UTF_8);
    }

    void install(@ObservesAsync HttpServerStart started) {
        try {
            Field bound = TCPServerBase.class.getDeclaredField("bindFuture");
            bound.setAccessible(true);
            for (HttpServerImpl server :
                    ((VertxInternal) vertx).sharedHttpServers().values()) {
                Future<?> channel = (Future<?>) bound.get(server);
                if (channel != null
                        && channel.result() instanceof Channel listening
                        && listening.pipeline().get(ACCEPTOR) == null) {
                    listening.pipeline().addFirst(ACCEPTOR, new Acceptor());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnf(
                    "request-head deadline not installed (%s): slow clients are bounded by the idle timeout only",
                    e.getClass().getSimpleName());
        }
    }

    /** The request's head is in: the deadline is met. */
    public void headArrived(HttpServerRequest request) {
        Channel channel = channel(request);
        if (channel != null && channel.pipeline().get(HANDLER) != null) {
            channel.pipeline().remove(HANDLER);
        }
    }

    /** The answer is out: on a kept-alive HTTP/1.x connection the next head has the same deadline. */
    public void awaitNextHead(HttpServerRequest request) {
        Channel channel = channel(request);
        if (channel != null
                && channel.isActive()
                && request.version() != HttpVersion.HTTP_2
                && !http2(channel)
                && channel.pipeline().get(HANDLER) == null) {
            add(channel);
        }
    }

    /** An h2c upgrade turns an HTTP/1.1 connection into HTTP/2, whose streams need no head deadline of ours. */
    private static boolean http2(Channel channel) {
        return channel.pipeline().get(Http2ConnectionHandler.class) != null;
    }

    private void add(Channel channel) {
        Pipelines.addFront(channel.pipeline(), HANDLER, new Deadline());
    }

    private static Channel channel(HttpServerRequest request) {
        return request.connection() instanceof ConnectionBase connection ? connection.channel() : null;
    }

    /** On the listening channel: every accepted connection gets its deadline before Vert.x initialises it. */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) {
                accepted.pipeline().addFirst(HANDLER, new Deadline());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * One connection's timer: armed when the connection is (or already was) active, disarmed when removed. A client
     * that began a request gets a 408; one that sent nothing at all is an idle connection and is closed silently, as
     * RFC 9112 asks, so a client reusing it at that very moment cannot mistake a 408 for its answer.
     */
    private final class Deadline extends ChannelInboundHandlerAdapter {

        private ScheduledFuture<?> timer;
        private boolean started;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            started = true;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                arm(ctx);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            arm(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (timer != null) {
                timer.cancel(false);
            }
        }

        private void arm(ChannelHandlerContext ctx) {
            if (timer == null) {
                timer = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void expire(ChannelHandlerContext ctx) {
            if (ctx.isRemoved() || !ctx.channel().isActive()) {
                return;
            }
            if (http2(ctx.channel())) {
                ctx.pipeline().remove(this);
                return;
            }
            if (!started) {
                ctx.close();
                return;
            }
            String id = RequestIds.create();
            String head = "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: "
                    + timeoutResponse.length + "\r\nconnection: close\r\nx-inferoute-request-id: " + id
                    + "\r\nx-request-id: " + id + "\r\n\r\n";
            ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), timeoutResponse))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
