package io.tokenhub.suite.bench;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay that holds every byte for a fixed time in each direction, standing in for the network between
 * routing-service and a provider: what loopback hides, a protocol that waits on the far side's answers pays once per
 * round trip here. It models the delay, not TCP's congestion window: it reads as fast as bytes come, as a long
 * keep-alive connection whose window is already open would let them through.
 */
final class DelayRelay implements AutoCloseable {

    private final NetServer server;
    private final NetClient client;

    private DelayRelay(NetServer server, NetClient client) {
        this.server = server;
        this.client = client;
    }

    /** Listens on a free loopback port and relays each connection to {@code targetPort}, {@code oneWay} each way. */
    static DelayRelay start(Vertx vertx, int targetPort, Duration oneWay) throws Exception {
        NetClient client = vertx.createNetClient();
        long millis = oneWay.toMillis();
        NetServer server = vertx.createNetServer(
                        new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(in -> {
                    in.pause();
                    client.connect(targetPort, "127.0.0.1")
                            .onSuccess(out -> {
                                pipe(vertx, in, out, millis);
                                pipe(vertx, out, in, millis);
                                in.resume();
                            })
                            .onFailure(e -> in.close());
                });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new DelayRelay(server, client);
    }

    int port() {
        return server.actualPort();
    }

    /**
     * Each chunk leaves {@code millis} after it came: timers of one delay on one event loop fire in the order they were
     * set, so the stream keeps its order.
     */
    private static void pipe(Vertx vertx, NetSocket from, NetSocket to, long millis) {
        from.handler(chunk -> vertx.setTimer(millis, t -> to.write(chunk)));
        from.endHandler(v -> vertx.setTimer(millis, t -> to.close()));
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client.close();
    }
}
