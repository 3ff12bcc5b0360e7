package io.tokenhub.routing.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A held flush must still go out once the event loop has nothing else ready: chunks written from timers, with no read
 * in progress on the connection, reach the client one by one, not at the end of the stream.
 */
class WriteBatchingTest {

    private static final int CHUNKS = 3;
    private static final long CHUNK_GAP_MILLIS = 200;

    private Vertx vertx;
    private int port;
    /** How many batching handlers each request found on its connection's pipeline after applying. */
    private final List<Integer> installed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .requestHandler(req -> {
                    WriteBatching.apply(req);
                    ChannelPipeline pipeline =
                            ((ConnectionBase) req.connection()).channel().pipeline();
                    installed.add((int) pipeline.names().stream()
                            .filter(WriteBatching.HANDLER::equals)
                            .count());
                    HttpServerResponse response = req.response().setChunked(true);
                    for (int i = 1; i <= CHUNKS; i++) {
                        int chunk = i;
                        vertx.setTimer(chunk * CHUNK_GAP_MILLIS, t -> {
                            if (chunk < CHUNKS) {
                                response.write("chunk " + chunk + "\n");
                            } else {
                                response.end("chunk " + chunk + "\n");
                            }
                        });
                    }
                })
                .listen(0));
        port = server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void chunksWrittenOutsideAReadLeaveAsTheyAreWritten() throws Exception {
        HttpClient http2 = vertx.createHttpClient(
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));

        for (int request = 0; request < 2; request++) {
            List<Long> arrivals = new CopyOnWriteArrayList<>();
            long sent = System.nanoTime();
            await(http2.request(HttpMethod.GET, port, "127.0.0.1", "/")
                    .compose(req -> req.send())
                    .compose(response -> {
                        response.handler(chunk -> arrivals.add(System.nanoTime() - sent));
                        return response.end();
                    }));

            assertEquals(CHUNKS, arrivals.size());
            // Each chunk left well before the next was written: nothing waited for the end of the stream.
            for (int i = 0; i < CHUNKS - 1; i++) {
                long gap = TimeUnit.NANOSECONDS.toMillis(arrivals.get(i + 1) - arrivals.get(i));
                assertTrue(gap >= CHUNK_GAP_MILLIS / 2, "chunk " + (i + 2) + " arrived " + gap + " ms after the last");
            }
        }
        // Installed on the first request and found, once, by the second on the same connection.
        assertEquals(List.of(1, 1), installed);
    }

    @Test
    void http1ConnectionsAreLeftAlone() throws Exception {
        HttpClient http1 = vertx.createHttpClient();

        String body = await(http1.request(HttpMethod.GET, port, "127.0.0.1", "/")
                        .compose(req -> req.send())
                        .compose(HttpClientResponse::body))
                .toString();

        assertEquals("chunk 1\nchunk 2\nchunk 3\n", body);
        assertEquals(List.of(0), installed);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
