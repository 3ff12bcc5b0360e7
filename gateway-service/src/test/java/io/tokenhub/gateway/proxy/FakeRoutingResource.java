package io.tokenhub.gateway.proxy;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.infra.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stands in for routing-service so the gateway's own duties can be tested alone: it echoes what the gateway forwarded
 * and streams in two halves, the second only after the test says it received the first, which proves the gateway
 * relays chunk by chunk. It counts what reaches it ({@code /forwarded}), so tests can prove that refused requests
 * never do, and streams slowly for model {@code slow-stream}, reporting at {@code /slow-stream} whether the gateway
 * hung up on it. The real routing-service is exercised end to end in local-suite.
 */
public class FakeRoutingResource implements QuarkusTestResourceLifecycleManager {

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        AtomicReference<HttpServerResponse> waiting = new AtomicReference<>();
        AtomicLong forwarded = new AtomicLong();
        AtomicReference<String> slowStream = new AtomicReference<>("none");
        HttpServer server = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> {
                    if (req.path().startsWith("/v1/")) {
                        forwarded.incrementAndGet();
                    }
                    switch (req.path()) {
                        case "/v1/chat/completions" -> {
                            if (body.toString().contains("\"model\":\"slow-stream\"")) {
                                slowStream(req.response(), slowStream);
                                return;
                            }
                            if (body.toString().contains("\"stream\":true")) {
                                req.response()
                                        .setChunked(true)
                                        .putHeader("content-type", "text/event-stream")
                                        .putHeader("X-TokenHub-Provider", "openai")
                                        .putHeader("X-TokenHub-Fallback", "false")
                                        .write("data: {\"half\":1}\n\n");
                                waiting.set(req.response());
                                return;
                            }
                            JsonObject echo = new JsonObject()
                                    .put("secret", req.getHeader("X-TokenHub-Internal-Secret"))
                                    .put("account", req.getHeader("X-TokenHub-Account-Id"))
                                    .put("key", req.getHeader("X-TokenHub-Key-Id"))
                                    .put("request_id", req.getHeader("X-Inferoute-Request-Id"))
                                    .put("client_request_id", req.getHeader("X-TokenHub-Client-Request-Id"))
                                    .put("authorization", req.getHeader("Authorization"))
                                    .put("body_length", body.length());
                            req.response()
                                    .putHeader("content-type", "application/json")
                                    .putHeader("X-TokenHub-Provider", "openai")
                                    .putHeader("X-TokenHub-Fallback", "false")
                                    .end(echo.encode());
                        }
                        case "/v1/messages", "/v1/messages/count_tokens" ->
                            req.response()
                                    .putHeader("content-type", "application/json")
                                    .putHeader("X-TokenHub-Provider", "anthropic")
                                    .end(new JsonObject()
                                            .put("key", req.getHeader("X-TokenHub-Key-Id"))
                                            .put("x_api_key", req.getHeader("x-api-key"))
                                            .put("anthropic_version", req.getHeader("anthropic-version"))
                                            .encode());
                        case "/v1/embeddings" ->
                            req.response()
                                    .putHeader("content-type", "application/json")
                                    .putHeader("X-TokenHub-Provider", "openai")
                                    .end(new JsonObject()
                                            .put("object", "list")
                                            .put("body_length", body.length())
                                            .encode());
                        case "/v1/models" ->
                            req.response()
                                    .putHeader("content-type", "application/json")
                                    .end("{\"object\":\"list\",\"data\":[]}");
                        case "/forwarded" -> req.response().end(Long.toString(forwarded.get()));
                        case "/slow-stream" -> req.response().end(slowStream.get());
                        case "/release" -> {
                            HttpServerResponse stream = waiting.getAndSet(null);
                            if (stream != null) {
                                stream.end("data: {\"half\":2}\n\ndata: [DONE]\n\n");
                            }
                            req.response()
                                    .setStatusCode(stream == null ? 409 : 204)
                                    .end();
                        }
                        default ->
                            req.response()
                                    .setStatusCode(404)
                                    .putHeader("content-type", "application/json")
                                    .end("{\"error\":{\"message\":\"Invalid URL\",\"type\":\"invalid_request_error\","
                                            + "\"param\":null,\"code\":null}}");
                    }
                }));
        int port = FreePorts.next();
        try {
            server.listen(port, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake routing-service cannot listen", e);
        }
        return Map.of(
                "tokenhub.gateway.routing-url",
                "http://127.0.0.1:" + port,
                "test.fake-routing.url",
                "http://127.0.0.1:" + port);
    }

    /**
     * Streams a frame every 50 ms for ten seconds and records how it ended: {@code closed-after-N} when the gateway
     * hung up after N frames, {@code completed} when all were sent.
     */
    private void slowStream(HttpServerResponse response, AtomicReference<String> outcome) {
        outcome.set("streaming");
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream")
                .putHeader("X-TokenHub-Provider", "openai");
        AtomicLong sent = new AtomicLong();
        response.closeHandler(v -> {
            if (!response.ended()) {
                outcome.set("closed-after-" + sent.get());
            }
        });
        vertx.setPeriodic(50, timer -> {
            if (response.closed()) {
                vertx.cancelTimer(timer);
                return;
            }
            if (sent.incrementAndGet() > 200) {
                vertx.cancelTimer(timer);
                response.end("data: [DONE]\n\n");
                outcome.set("completed");
                return;
            }
            response.write("data: {\"frame\":" + sent.get() + "}\n\n");
        });
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
