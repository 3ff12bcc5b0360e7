package io.tokenhub.routing.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenhub.infra.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which protocol a request body travels on, as a server taking h2c with prior knowledge and HTTP/1.1 on one port saw
 * it: the server's answer is the version Vert.x parsed the request with, not anything the client says about itself.
 */
class TransportTest {

    private static final int HUNDRED_KB = 100 * 1024;

    private Vertx vertx;

    /** The server {@link #transport} talks to. */
    private int port;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void aBodyPastTheProvidersDefaultWindowGoesOverHttp1() throws Exception {
        Transport transport = transport(server(Transport.DEFAULT_STREAM_WINDOW), true);

        assertEquals(HttpVersion.HTTP_2.name(), post(transport, 100));
        assertEquals(Transport.DEFAULT_STREAM_WINDOW, transport.streamWindow());
        assertEquals(HttpVersion.HTTP_2.name(), post(transport, Transport.DEFAULT_STREAM_WINDOW));
        assertEquals(HttpVersion.HTTP_1_1.name(), post(transport, Transport.DEFAULT_STREAM_WINDOW + 1));
        assertEquals(HttpVersion.HTTP_1_1.name(), post(transport, HUNDRED_KB));
    }

    @Test
    void aProviderGrantingALargerWindowKeepsLargeBodiesOnHttp2() throws Exception {
        Transport transport = transport(server(1024 * 1024), true);

        // Before any connection the protocol's default applies.
        assertEquals(HttpVersion.HTTP_1_1.name(), post(transport, HUNDRED_KB));
        assertEquals(HttpVersion.HTTP_2.name(), post(transport, 100));
        assertEquals(1024 * 1024, transport.streamWindow());
        assertEquals(HttpVersion.HTTP_2.name(), post(transport, HUNDRED_KB));
    }

    @Test
    void withLargeBodiesKeptOnHttp2EveryBodyGoesThere() throws Exception {
        Transport transport = transport(server(Transport.DEFAULT_STREAM_WINDOW), false);

        assertEquals(HttpVersion.HTTP_2.name(), post(transport, HUNDRED_KB));
        assertEquals(HttpVersion.HTTP_2.name(), post(transport, 100));
    }

    @Test
    void anEndpointWithoutHttp2SendsEveryBodyOverHttp1() throws Exception {
        Transport transport =
                new Transport(vertx, new HttpClientOptions(), false, false, true, new PoolOptions(), new PoolOptions());
        int port = server(Transport.DEFAULT_STREAM_WINDOW);

        assertEquals(HttpVersion.HTTP_1_1.name(), post(transport, port, 100));
        assertEquals(HttpVersion.HTTP_1_1.name(), post(transport, port, HUNDRED_KB));
    }

    private Transport transport(int serverPort, boolean largeBodiesOverHttp1) {
        port = serverPort;
        return new Transport(
                vertx,
                new HttpClientOptions(),
                false,
                true,
                largeBodiesOverHttp1,
                new PoolOptions(),
                new PoolOptions());
    }

    /** A server answering each request with the HTTP version it read it in and the body's length. */
    private int server(int initialWindow) throws Exception {
        int serverPort = FreePorts.next();
        await(vertx.createHttpServer(new HttpServerOptions()
                        .setPort(serverPort)
                        .setHost("127.0.0.1")
                        .setInitialSettings(new Http2Settings().setInitialWindowSize(initialWindow)))
                .requestHandler(request -> request.body()
                        .onSuccess(
                                body -> request.response().end(request.version().name() + " " + body.length())))
                .listen());
        return serverPort;
    }

    private String post(Transport transport, int length) throws Exception {
        return post(transport, port, length);
    }

    private String post(Transport transport, int serverPort, int length) throws Exception {
        Buffer body = Buffer.buffer(new byte[length]);
        String answer = await(transport
                        .client(length)
                        .request(HttpMethod.POST, serverPort, "127.0.0.1", "/")
                        .compose(request -> request.send(body))
                        .compose(HttpClientResponse::body))
                .toString();
        String[] parts = answer.split(" ");
        assertEquals(Integer.toString(length), parts[1], "the whole body arrived");
        return parts[0];
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
