package io.tokenhub.routing.api;

import io.netty.buffer.ByteBuf;
import io.tokenhub.common.http.AnthropicErrorBody;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.routing.chat.ChatService;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.dialect.ClientDialect;
import io.tokenhub.routing.dialect.chat.ChatCompletionsDialect;
import io.tokenhub.routing.dialect.messages.MessagesDialect;
import io.tokenhub.routing.dialect.responses.ResponsesDialect;
import io.tokenhub.routing.embeddings.EmbeddingsService;
import io.tokenhub.routing.inbound.ApiRoutes;
import io.tokenhub.routing.inbound.InboundRequest;
import io.tokenhub.routing.inbound.Responder;
import io.tokenhub.routing.inbound.WriteBatching;
import io.tokenhub.routing.internal.InternalCallGuard;
import io.tokenhub.routing.models.ModelsService;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.usage.UsagePublisher;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The OpenAI-shaped API as gateway-service forwards it. Served on raw Vert.x routes rather than JAX-RS: every request
 * is relayed without blocking a thread, and streams go out event by event as the provider sends them.
 */
@ApplicationScoped
public class OpenAiApiResource {

    /**
     * Before Quarkus REST's catch-all (which would answer /v1 with its own 404), and before Quarkus's security filters
     * (order -300 to -100) and REST observability route, which cost CPU on every request: /v1 is authenticated by the
     * gateway's signature (InternalCallGuard), not OIDC.
     */
    private static final int ROUTE_ORDER = -900;

    /** The answer while the usage spool is full (Kafka unreachable for long): come back when it has drained. */
    private static final OpenAiError USAGE_BACKLOG_FULL = new OpenAiError(
            503,
            "server_error",
            "TokenHub is temporarily unable to take requests. Please retry shortly.",
            null,
            "service_unavailable",
            30L);

    private final ChatService chat;
    private final EmbeddingsService embeddings;
    private final ModelsService models;
    private final InternalCallGuard guard;
    private final UsagePublisher usage;
    private final Admission admission;
    private final int maxBodyBytes;

    public OpenAiApiResource(
            ChatService chat,
            EmbeddingsService embeddings,
            ModelsService models,
            InternalCallGuard guard,
            UsagePublisher usage,
            Admission admission,
            RoutingConfig config) {
        this.chat = chat;
        this.embeddings = embeddings;
        this.models = models;
        this.guard = guard;
        this.usage = usage;
        this.admission = admission;
        this.maxBodyBytes = config.limits().maxBodyBytes();
    }

    void routes(@Observes Router router) {
        router.post("/v1/chat/completions")
                .order(ROUTE_ORDER)
                .handler(ctx -> withBody(
                        ctx, true, (in, body) -> chat.complete(in, body, ctx, ChatCompletionsDialect.INSTANCE)));
        router.post("/v1/responses")
                .order(ROUTE_ORDER)
                .handler(ctx ->
                        withBody(ctx, true, (in, body) -> chat.complete(in, body, ctx, ResponsesDialect.INSTANCE)));
        router.post(AnthropicErrorBody.MESSAGES_PATH)
                .order(ROUTE_ORDER)
                .handler(ctx ->
                        withBody(ctx, true, (in, body) -> chat.complete(in, body, ctx, MessagesDialect.INSTANCE)));
        router.post(AnthropicErrorBody.MESSAGES_PATH + "/count_tokens")
                .order(ROUTE_ORDER)
                .handler(ctx -> withBody(ctx, false, (in, body) -> chat.countTokens(body, ctx.response())));
        // TokenHub keeps no content, so there is never a stored response to read, cancel or delete.
        router.route("/v1/responses/*")
                .order(ROUTE_ORDER)
                .handler(ctx -> authorized(ctx)
                        .ifPresent(in -> Responder.error(ctx.response(), ResponsesDialect.NOT_STORED, null, false)));
        router.post("/v1/embeddings")
                .order(ROUTE_ORDER)
                .handler(ctx -> withBody(ctx, true, (in, body) -> embeddings.embed(in, body, ctx.response())));
        router.get("/v1/models")
                .order(ROUTE_ORDER)
                .handler(ctx -> authorized(ctx).ifPresent(in -> models.list(in.accountId(), ctx.response())));
        router.getWithRegex("/v1/models/(?<id>.+)")
                .order(ROUTE_ORDER)
                .handler(ctx -> authorized(ctx).ifPresent(in -> models.get(ctx.pathParam("id"), ctx.response())));
        router.route("/v1/*")
                .order(ROUTE_ORDER + 1)
                .handler(ctx -> authorized(ctx)
                        .ifPresent(in -> error(
                                ctx,
                                new OpenAiError(
                                        404,
                                        "invalid_request_error",
                                        "Invalid URL (" + ctx.request().method() + " "
                                                + ctx.request().path() + ")",
                                        null,
                                        null,
                                        null))));
    }

    /**
     * Reads the whole body, refusing it with a 413 past the limit, then hands it on; a request that will call a
     * provider ({@code callsProvider}) must first be admitted.
     */
    private void withBody(RoutingContext ctx, boolean callsProvider, BodyHandler handler) {
        Optional<InboundRequest> in = authorized(ctx);
        if (in.isEmpty()) {
            return;
        }
        if (!usage.accepting()) {
            // Refused before any provider call, so nothing is answered that could not be billed.
            error(ctx, USAGE_BACKLOG_FULL);
            return;
        }
        if (callsProvider && !admission.admit(ctx)) {
            error(ctx, Admission.AT_CAPACITY);
            return;
        }
        HttpServerRequest request = ctx.request();
        // Sized from the declared length within the limit, so a large body is not copied each time a buffer doubles;
        // safe here, unlike at the public edge, since only the gateway's signed calls get this far and it sends bodies
        // it already holds whole.
        Buffer body = Buffer.buffer(declaredLength(request));
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBodyBytes) {
                request.pause();
                error(
                        ctx,
                        new OpenAiError(
                                413,
                                "invalid_request_error",
                                "Request body too large: at most " + maxBodyBytes + " bytes.",
                                null,
                                null,
                                null));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!ctx.response().ended()) {
                handler.handle(in.get(), bytes(body));
            }
        });
    }

    /** The body's bytes: the buffer's own array when the declared length sized it exactly, or a copy. */
    private static byte[] bytes(Buffer body) {
        ByteBuf whole = body.getByteBuf();
        if (whole.hasArray() && whole.arrayOffset() == 0 && whole.readerIndex() == 0) {
            byte[] array = whole.array();
            if (array.length == body.length()) {
                return array;
            }
        }
        return body.getBytes();
    }

    /** The body's Content-Length when it declares one within the limit; 0 otherwise (the buffer then grows). */
    private int declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            long length = value == null ? 0 : Long.parseLong(value.trim());
            return length > 0 && length <= maxBodyBytes ? (int) length : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** What a POST route does with a request once its body is in. */
    @FunctionalInterface
    private interface BodyHandler {
        void handle(InboundRequest in, byte[] body);
    }

    private Optional<InboundRequest> authorized(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Optional<OpenAiError> refused = guard.check(request);
        if (refused.isPresent()) {
            error(ctx, refused.get());
            return Optional.empty();
        }
        WriteBatching.apply(request);
        return Optional.of(new InboundRequest(
                request.getHeader(TokenHubHeaders.REQUEST_ID),
                request.getHeader(TokenHubHeaders.ACCOUNT_ID),
                request.getHeader(TokenHubHeaders.KEY_ID),
                keyName(request.getHeader(TokenHubHeaders.KEY_NAME)),
                Instant.now(),
                System.nanoTime(),
                request.getHeader(TokenHubHeaders.CLIENT_REQUEST_ID),
                ApiRoutes.forPath(request.path())));
    }

    /**
     * An error made before a dialect read the request, in the shape of the API its path belongs to: Anthropic's on
     * the Messages endpoints, OpenAI's elsewhere.
     */
    private static void error(RoutingContext ctx, OpenAiError error) {
        ClientDialect dialect = AnthropicErrorBody.appliesTo(ctx.normalizedPath())
                ? MessagesDialect.INSTANCE
                : ChatCompletionsDialect.INSTANCE;
        Responder.error(ctx.response(), error, null, false, dialect);
    }

    /** The key's name as the gateway percent-encoded it; null when absent or not decodable. */
    private static String keyName(String header) {
        if (header == null) {
            return null;
        }
        try {
            return URLDecoder.decode(header, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
