package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.read;
import static io.tokenhub.routing.it.RoutingIt.usageRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.service.call.Http2Client;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hop from gateway-service as the gateway speaks it: HTTP/2 with prior knowledge on the API port, many streams on
 * one connection, windows that take a megabyte body in one flight, the usage trailer on a stream, and a stream the
 * gateway resets cancelled and billed once.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class GatewayHopIT {

    private static final String PATH = "/v1/chat/completions";

    /** Pinned to one provider, whose simulator the cancel test slows down. */
    private static final String MODEL = "openai/gpt-4o-mini";

    private Vertx vertx;
    private HttpClient http;

    @BeforeEach
    void client() {
        vertx = Vertx.vertx();
        http = vertx.createHttpClient(Http2Client.apply(new HttpClientOptions(), false));
    }

    @AfterEach
    void close() throws Exception {
        SimulatorTestResource.server().reset("openai");
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMegabyteBodyGoesInOneFlightOnAConnectionForThousandsOfStreams() throws Exception {
        // A model whose context takes a megabyte of prompt.
        String body = body("google/gemini-2.5-pro", false, "x ".repeat(512 * 1024));
        HttpClientRequest request = request();
        Http2Settings routing = request.connection().remoteSettings();
        assertTrue(routing.getMaxConcurrentStreams() >= 10_000, "streams per connection: " + routing);
        assertTrue(routing.getInitialWindowSize() >= body.length(), "a stream's window: " + routing);

        HttpClientResponse answer = await(request.send(body));
        String text = await(answer.body()).toString();

        assertEquals(HttpVersion.HTTP_2, answer.version());
        assertEquals(200, answer.statusCode(), text);
    }

    @Test
    void aStreamEndsWithItsUsageTrailerOverHttp2() throws Exception {
        HttpClientRequest request = request();
        String requestId = request.headers().get(TokenHubHeaders.REQUEST_ID);

        HttpClientResponse answer = await(
                request.send(body(MODEL, true, "hi")).compose(r -> r.body().map(b -> r)));

        assertEquals(HttpVersion.HTTP_2, answer.version());
        assertEquals(200, answer.statusCode());
        UsageEvent event = read(usageRecord(requestId));
        assertEquals(
                Long.toString(event.inputTokens() + event.outputTokens()),
                answer.getTrailer(TokenHubHeaders.USAGE_TOKENS));
    }

    @Test
    void aStreamTheGatewayResetsIsCancelledAndBilledOnceForWhatWasSent() throws Exception {
        // Some 30 s of answer: only the reset can end it within the test.
        SimulatorTestResource.server().behave("openai", RoutingIt.longStream());
        HttpClientRequest request = request();
        String requestId = request.headers().get(TokenHubHeaders.REQUEST_ID);
        Promise<HttpVersion> reset = Promise.promise();
        AtomicInteger chunks = new AtomicInteger();
        request.send(body(MODEL, true, "a long story"))
                .onSuccess(answer -> answer.handler(chunk -> {
                    // A few frames of answer in, then the client behind the gateway hangs up.
                    if (chunks.incrementAndGet() == 4) {
                        request.reset();
                        reset.tryComplete(answer.version());
                    }
                }));

        assertEquals(HttpVersion.HTTP_2, await(reset.future()));
        UsageEvent event = read(usageRecord(requestId));
        assertEquals(RequestStatus.CANCELLED, event.status());
        assertTrue(event.outputTokens() > 0, "the frames sent before the reset are billed: " + event);
    }

    /** A signed request on the client's one HTTP/2 connection, its stream open. */
    private HttpClientRequest request() throws Exception {
        return await(http.request(RoutingIt.internalPost(PATH, "it-" + UUID.randomUUID())));
    }

    private static String body(String model, boolean stream, String content) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + content + "\"}]}";
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
