package io.tokenhub.service.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which connection a call from each event loop travels on, as the server saw it (the client's port): with a pool per
 * loop each loop keeps its own connection; with one shared pool the second loop takes the first loop's connection.
 */
class LoopClientsTest {

    private Vertx vertx;
    private int port;
    private final List<Context> loops = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpServer server = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .requestHandler(req ->
                        req.response().end(Integer.toString(req.remoteAddress().port())))
                .listen(0));
        port = server.actualPort();
        // Two verticle instances are given the two event loops in turn.
        await(vertx.deployVerticle(
                () -> new AbstractVerticle() {
                    @Override
                    public void start() {
                        loops.add(context);
                    }
                },
                new DeploymentOptions().setInstances(2)));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void eachEventLoopKeepsItsOwnConnection() throws Exception {
        LoopClients clients = new LoopClients(vertx, true, () -> vertx.createHttpClient());

        List<String> first = ports(clients, loops.get(0));
        returned();
        List<String> second = ports(clients, loops.get(1));

        assertEquals(2, clients.size());
        assertEquals(List.of(first.get(0), first.get(0), first.get(0)), first);
        assertEquals(List.of(second.get(0), second.get(0), second.get(0)), second);
        assertNotEquals(first.get(0), second.get(0));
    }

    @Test
    void oneSharedPoolHandsTheSameConnectionToEveryLoop() throws Exception {
        LoopClients clients = new LoopClients(vertx, false, () -> vertx.createHttpClient());

        List<String> first = ports(clients, loops.get(0));
        returned();
        List<String> second = ports(clients, loops.get(1));

        assertEquals(1, clients.size());
        assertEquals(first.get(0), second.get(0));
    }

    /**
     * Lets the first loop's connection go back to its pool, which happens on that loop after the answer's end has
     * been handed to the caller: without the pause a call from the other loop could find it still taken.
     */
    private static void returned() throws InterruptedException {
        Thread.sleep(200);
    }

    /** The client port of three calls made one after another from {@code loop}. */
    private List<String> ports(LoopClients clients, Context loop) throws Exception {
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Promise<String> port = Promise.promise();
            loop.runOnContext(v -> clients.current()
                    .request(HttpMethod.GET, this.port, "127.0.0.1", "/")
                    .compose(req -> req.send())
                    .compose(HttpClientResponse::body)
                    .map(Object::toString)
                    .onComplete(port));
            ports.add(await(port.future()));
        }
        return ports;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
