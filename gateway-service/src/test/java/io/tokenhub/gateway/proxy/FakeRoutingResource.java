package io.tokenhub.gateway.proxy;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.common.http.InternalSignature;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for routing-service so the gateway's own duties can be tested alone: it echoes what the gateway forwarded
 * and streams in two halves, the second only after the test says it received the first, which proves the gateway
 * relays chunk by chunk. It counts what reaches it ({@code /forwarded}), so tests can prove that refused requests
 * never do, and streams slowly for model {@code slow-stream}, reporting at {@code /slow-stream} whether the gateway
 * hung up on it. {@code /version} tells which protocol the gateway spoke last; like routing-service it takes HTTP/1.1
 * and h2c with prior knowledge on one port. The real routing-service is exercised end to end in local-suite.
 */
public class FakeRoutingResource implements QuarkusTestResourceLifecycleManager {

    /** The internal secret of the gateway's test profile (application.properties). */
    private static final String SECRET = "test-internal-secret-0123456789";

    /**
     * What a chat answer says it used, in a header or, streamed, a trailer; a request with {@code "user":"used-N"}
     * used N.
     */
    public static final long USED_TOKENS = 30;

    private static final Pattern USED = Pattern.compile("\"user\":\"used-([0-9]+)\"");

    private final InternalSignature signature = new InternalSignature(SECRET);
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        AtomicReference<HttpServerResponse> waiting = new AtomicReference<>();
        AtomicLong forwarded = new AtomicLong();
        AtomicReference<String> slowStream = new AtomicReference<>("none");
        AtomicReference<String> version = new AtomicReference<>("none");
        HttpServer server = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> {
                    if (req.path().startsWith("/v1/")) {
                        forwarded.incrementAndGet();
                        version.set(req.version().name());
                    }
                    switch (req.path()) {
                        case "/v1/chat/completions" -> {
                            if (body.toString().contains("\"model\":\"slow-stream\"")) {
                                slowStream(req.response(), slowStream);
                                return;
                            }
                            if (body.toString().contains("\"model\":\"usage-stream\"")) {
                                // A whole stream at once, its usage in a trailer as routing-service sends it.
                                req.response()
                                        .setChunked(true)
                                        .putHeader("content-type", "text/event-stream")
                                        .write("data: {\"part\":1}\n\n");
                                req.response()
                                        .putTrailer(TokenHubHeaders.USAGE_TOKENS, Long.toString(USED_TOKENS))
                                        .end("data: [DONE]\n\n");
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
                                    .put("signed", signedByGateway(req))
                                    .put(
                                            "secret_sent",
                                            req.headers().entries().stream()
                                                    .anyMatch(h -> h.getValue().contains(SECRET)))
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
                                    .putHeader(TokenHubHeaders.USAGE_TOKENS, Long.toString(used(body.toString())))
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
                        case "/version" -> req.response().end(version.get());
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

    private static long used(String body) {
        Matcher used = USED.matcher(body);
        return used.find() ? Long.parseLong(used.group(1)) : USED_TOKENS;
    }

    /** Checks the gateway's signature as routing-service does: by the shared secret, made within 30 s. */
    private boolean signedByGateway(HttpServerRequest req) {
        long at = Long.parseLong(req.getHeader(TokenHubHeaders.INTERNAL_TIMESTAMP));
        return Math.abs(System.currentTimeMillis() / 1000 - at) <= 30
                && signature.matches(
                        req.getHeader(TokenHubHeaders.INTERNAL_SIGNATURE),
                        req.method().name(),
                        req.uri(),
                        req.getHeader(TokenHubHeaders.ACCOUNT_ID),
                        req.getHeader(TokenHubHeaders.KEY_ID),
                        req.getHeader(TokenHubHeaders.REQUEST_ID),
                        at);
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
