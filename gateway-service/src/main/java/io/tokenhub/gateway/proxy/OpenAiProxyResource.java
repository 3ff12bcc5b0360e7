package io.tokenhub.gateway.proxy;

import io.netty.buffer.Unpooled;
import io.quarkus.logging.Log;
import io.tokenhub.common.http.AnthropicErrorBody;
import io.tokenhub.common.http.ErrorBody;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.gateway.budget.BudgetGuard;
import io.tokenhub.gateway.config.GatewayConfig;
import io.tokenhub.gateway.edge.BodyInspector;
import io.tokenhub.gateway.edge.HeadDeadline;
import io.tokenhub.gateway.edge.HeadLimits;
import io.tokenhub.gateway.edge.Rejection;
import io.tokenhub.gateway.http.RequestIds;
import io.tokenhub.gateway.keys.ApiKeyFormat;
import io.tokenhub.gateway.keys.ApiKeyService;
import io.tokenhub.gateway.keys.KeyPrincipal;
import io.tokenhub.gateway.limits.Decision;
import io.tokenhub.gateway.limits.FailedAuthLimiter;
import io.tokenhub.gateway.limits.RateLimitHeaders;
import io.tokenhub.gateway.limits.RateLimiter;
import io.tokenhub.service.call.CircuitBreaker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The public OpenAI-compatible API. Every {@code /v1} request gets a request id, is authenticated with its TokenHub
 * key, has its body checked in one streaming pass (never re-serialised), is counted against the rate limits of its key
 * and account, and is relayed to routing-service; the answer (JSON or an event stream) is relayed back as it arrives.
 * Every response carries the request id, errors included, and once the key is known the {@code x-ratelimit-*}
 * headers. Bad input of any kind gets a 4xx OpenAI error before anything is forwarded.
 */
@ApplicationScoped
public class OpenAiProxyResource {

    /** Ahead of Quarkus REST, so /v1 never reaches JAX-RS and every response gets its request id first. */
    private static final int FIRST = -1000;
    /**
     * Ahead of Quarkus's security filters (order -300 to -100) and Quarkus REST's observability route: /v1 callers
     * authenticate with TokenHub keys, and those handlers cost a fifth of the gateway's CPU per request.
     */
    private static final int PROXY = -900;

    private static final String REQUEST_ID_KEY = "tokenhub.request-id";
    private static final String CLIENT_REQUEST_ID_KEY = "tokenhub.client-request-id";
    /** Longest a refused request's unread body is still taken in before the connection closes (nginx: 30 s). */
    private static final long LINGER_MILLIS = 10_000;
    /** Most of it taken in: a client sending more is not finishing a request. */
    private static final long LINGER_BYTES = 64L * 1024 * 1024;

    private static final String MODELS = "/v1/models";
    private static final String RESPONSES = "/v1/responses";
    private static final String COUNT_TOKENS = AnthropicErrorBody.MESSAGES_PATH + "/count_tokens";
    /** When a client whose key could not be verified for want of capacity should try again. */
    private static final long AUTH_RETRY_MILLIS = 1_000;
    /** When a client refused because every connection (or stream) to routing-service was busy should try again. */
    private static final long ROUTING_BUSY_RETRY_MILLIS = 1_000;
    /** Where the Anthropic SDKs send the API key by default. */
    private static final String ANTHROPIC_KEY_HEADER = "x-api-key";
    /** Hop-by-hop and internal headers that must not travel from routing-service to the client. */
    private static final Set<String> NOT_RELAYED = Set.of(
            "connection",
            "keep-alive",
            "transfer-encoding",
            "content-length",
            "x-inferoute-request-id",
            "x-request-id",
            TokenHubHeaders.USAGE_TOKENS.toLowerCase(Locale.ROOT));

    private final ApiKeyService keys;
    private final RoutingClient routing;
    private final RateLimiter limiter;
    private final FailedAuthLimiter failedAuths;
    private final BudgetGuard budgets;
    private final BodyInspector inspector;
    private final HeadLimits headLimits;
    private final HeadDeadline headDeadline;
    private final int maxBodyBytes;
    private final long bodyTimeoutMillis;

    public OpenAiProxyResource(
            ApiKeyService keys,
            RoutingClient routing,
            RateLimiter limiter,
            FailedAuthLimiter failedAuths,
            BudgetGuard budgets,
            HeadDeadline headDeadline,
            GatewayConfig config) {
        this.keys = keys;
        this.headDeadline = headDeadline;
        this.routing = routing;
        this.limiter = limiter;
        this.failedAuths = failedAuths;
        this.budgets = budgets;
        this.inspector = new BodyInspector(config.limits());
        this.headLimits = new HeadLimits(config.limits());
        this.maxBodyBytes = config.limits().maxBodyBytes();
        this.bodyTimeoutMillis = config.limits().bodyTimeout().toMillis();
    }

    void routes(@Observes Router router) {
        router.route().order(FIRST).handler(ctx -> {
            headDeadline.headArrived(ctx.request());
            ctx.addEndHandler(v -> headDeadline.awaitNextHead(ctx.request()));
            String billingId = RequestIds.create();
            String clientId = RequestIds.correlation(ctx.request().getHeader(TokenHubHeaders.REQUEST_ID));
            ctx.put(REQUEST_ID_KEY, billingId);
            if (clientId != null) {
                ctx.put(CLIENT_REQUEST_ID_KEY, clientId);
            }
            // The client sees its own id back when it sent a sane one, as before; billing never dedupes on it.
            String echoed = clientId != null ? clientId : billingId;
            ctx.response()
                    .putHeader(TokenHubHeaders.REQUEST_ID, echoed)
                    .putHeader(TokenHubHeaders.OPENAI_REQUEST_ID, echoed);
            if (AnthropicErrorBody.appliesTo(ctx.normalizedPath())) {
                // The Anthropic SDKs read the request id from their own header name.
                ctx.response().putHeader(TokenHubHeaders.ANTHROPIC_REQUEST_ID, echoed);
            }
            Optional<Rejection> head = headLimits.check(ctx.request());
            if (head.isPresent()) {
                reject(ctx, head.get());
                return;
            }
            ctx.next();
        });
        router.route("/v1/*").order(PROXY).handler(this::proxy);
    }

    private void proxy(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Optional<String> key = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        boolean anthropic = AnthropicErrorBody.appliesTo(ctx.normalizedPath());
        if (key.isEmpty() && anthropic) {
            // The Anthropic SDKs send the key in x-api-key; an Authorization header, when sent, wins.
            key = Optional.ofNullable(request.getHeader(ANTHROPIC_KEY_HEADER))
                    .map(String::trim)
                    .filter(k -> !k.isEmpty());
        }
        if (key.isEmpty()) {
            error(
                    ctx,
                    401,
                    anthropic
                            ? "You didn't provide an API key. You need to provide your TokenHub API key in an "
                                    + "x-api-key header (or Authorization: Bearer YOUR_KEY)."
                            : "You didn't provide an API key. You need to provide your TokenHub API key in "
                                    + "an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error",
                    null,
                    "missing_api_key");
            return;
        }
        if (contentLength(request) > maxBodyBytes) {
            reject(ctx, tooLarge());
            return;
        }
        request.pause();
        Vertx vertx = Vertx.currentContext().owner();
        long bodyTimer = request.isEnded()
                ? -1
                : vertx.setTimer(bodyTimeoutMillis, t -> {
                    if (!request.isEnded()) {
                        reject(
                                ctx,
                                new Rejection(
                                        408,
                                        "The request body did not arrive within " + bodyTimeoutMillis / 1000 + " s.",
                                        null,
                                        "request_timeout"));
                    }
                });
        if (bodyTimer >= 0) {
            ctx.addEndHandler(v -> vertx.cancelTimer(bodyTimer));
        }
        // Only a well-formed key can cost a lookup, so only such keys count against and are held by the limit.
        String client = FailedAuthLimiter.client(request.remoteAddress());
        boolean wellFormed = ApiKeyFormat.idOf(key.get()).isPresent();
        long throttledMillis = wellFormed ? failedAuths.retryAfterMillis(client) : 0;
        CompletionStage<Optional<KeyPrincipal>> verified = throttledMillis > 0
                ? CompletableFuture.completedFuture(keys.verifyInMemory(key.get()))
                : keys.verify(key.get());
        onContext(verified, (principal, failure) -> {
            if (failure != null) {
                authUnavailable(ctx, failure);
            } else if (principal.isPresent()) {
                authenticated(ctx, principal.get());
            } else if (throttledMillis > 0) {
                RateLimitHeaders.retryAfter(ctx.response().headers(), throttledMillis);
                error(
                        ctx,
                        429,
                        "Too many requests with invalid API keys from your address. Please try again in "
                                + RateLimitHeaders.duration(throttledMillis) + ".",
                        Decision.Dimension.REQUESTS.wire(),
                        null,
                        "too_many_failed_authentications");
            } else {
                if (wellFormed) {
                    failedAuths.failed(client);
                }
                error(
                        ctx,
                        401,
                        "Incorrect API key provided. You can find your API keys in the TokenHub " + "dashboard.",
                        "invalid_request_error",
                        null,
                        "invalid_api_key");
            }
        });
    }

    /** 503 with Retry-After; saturated lookups are counted in a metric, not logged per request, or a flood would be. */
    private static void authUnavailable(RoutingContext ctx, Throwable failure) {
        if (!ApiKeyService.busy(failure)) {
            Log.errorf(
                    "request %s: key verification failed: %s",
                    requestId(ctx), failure.getClass().getSimpleName());
        }
        RateLimitHeaders.retryAfter(ctx.response().headers(), AUTH_RETRY_MILLIS);
        error(
                ctx,
                503,
                "TokenHub could not verify your API key right now. Please retry.",
                "server_error",
                null,
                "auth_unavailable");
    }

    private void authenticated(RoutingContext ctx, KeyPrincipal principal) {
        HttpServerRequest request = ctx.request();
        String path = ctx.normalizedPath();
        Optional<BodyInspector.Endpoint> endpoint = switch (path) {
            case "/v1/chat/completions" -> Optional.of(BodyInspector.Endpoint.CHAT_COMPLETIONS);
            case "/v1/embeddings" -> Optional.of(BodyInspector.Endpoint.EMBEDDINGS);
            case RESPONSES -> Optional.of(BodyInspector.Endpoint.RESPONSES);
            case AnthropicErrorBody.MESSAGES_PATH, COUNT_TOKENS -> Optional.of(BodyInspector.Endpoint.MESSAGES);
            default -> Optional.empty();
        };
        boolean models = path.equals(MODELS) || path.startsWith(MODELS + "/") && path.length() > MODELS.length() + 1;
        if (path.startsWith(RESPONSES + "/")) {
            // A stored response's URL: routing-service explains that TokenHub stores none.
            admitted(ctx, principal, 0, null);
        } else if (endpoint.isPresent() && request.method() == HttpMethod.POST) {
            Optional<Rejection> type = HeadLimits.checkJsonContentType(request.getHeader(HttpHeaders.CONTENT_TYPE));
            if (type.isPresent()) {
                refuseCounted(ctx, principal, type.get());
                return;
            }
            readBody(ctx, principal, endpoint.get());
        } else if (models && request.method() == HttpMethod.GET) {
            admitted(ctx, principal, 0, null);
        } else if (endpoint.isPresent() || models) {
            ctx.response().putHeader(HttpHeaders.ALLOW, models ? "GET" : "POST");
            refuseCounted(
                    ctx,
                    principal,
                    new Rejection(
                            405,
                            "Method " + request.method().name() + " is not allowed on " + path + ".",
                            null,
                            "method_not_allowed"));
        } else {
            refuseCounted(
                    ctx,
                    principal,
                    new Rejection(
                            404, "Invalid URL (" + request.method().name() + " " + path + ").", null, "unknown_url"));
        }
    }

    private void readBody(RoutingContext ctx, KeyPrincipal principal, BodyInspector.Endpoint endpoint) {
        HttpServerRequest request = ctx.request();
        BodyChunks chunks = new BodyChunks();
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                return;
            }
            if (chunks.length() + chunk.length() > maxBodyBytes) {
                reject(ctx, tooLarge());
                return;
            }
            chunks.add(chunk);
        });
        request.endHandler(v -> {
            if (ctx.response().ended()) {
                return;
            }
            byte[] bytes = chunks.join();
            Buffer body = Buffer.buffer(Unpooled.wrappedBuffer(bytes));
            BodyInspector.Estimate estimate;
            try {
                estimate = inspector.inspect(endpoint, bytes);
            } catch (Rejection rejection) {
                refuseCounted(ctx, principal, rejection);
                return;
            }
            if (!ctx.normalizedPath().equals(COUNT_TOKENS) && overBudget(ctx, principal)) {
                return;
            }
            // Counting tokens calls no provider: it counts as a request, with no tokens, like a refused one.
            long tokens = ctx.normalizedPath().equals(COUNT_TOKENS)
                    ? 0
                    : estimate.reservation(
                            endpoint == BodyInspector.Endpoint.EMBEDDINGS
                                    ? 0
                                    : limiter.defaultOutputTokens(
                                            estimate.model().orElse(null)));
            admitted(ctx, principal, tokens, body);
        });
        if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            // curl asks before uploading a body over 1 MB and waits a second for the answer; the key and the head
            // have passed by now, so a refused request never sends its body and an accepted one does not wait.
            ctx.response().writeContinue();
        }
        request.resume();
    }

    /**
     * Refuses a request that would spend past a reached monthly budget (429 {@code insufficient_quota}, as OpenAI
     * answers an exhausted quota), and warns on one past {@link BudgetGuard}'s warning share. True when refused.
     */
    private boolean overBudget(RoutingContext ctx, KeyPrincipal principal) {
        BudgetGuard.Verdict verdict = budgets.check(principal);
        if (verdict.reached().isPresent()) {
            BudgetGuard.Limit limit = verdict.reached().get();
            error(
                    ctx,
                    429,
                    "You reached the " + limit.scope() + "'s monthly budget of $"
                            + limit.budget().toPlainString()
                            + " (spent $" + limit.spent().toPlainString() + " this month). Raise the budget or wait"
                            + " for next month.",
                    "insufficient_quota",
                    null,
                    "insufficient_quota");
            return true;
        }
        if (!verdict.near().isEmpty()) {
            ctx.response()
                    .putHeader(
                            TokenHubHeaders.BUDGET_WARNING,
                            verdict.near().stream()
                                    .map(BudgetGuard.Limit::header)
                                    .collect(Collectors.joining(", ")));
        }
        return false;
    }

    /** Counts the request against the limits, then relays it or answers 429. */
    private void admitted(RoutingContext ctx, KeyPrincipal principal, long tokens, Buffer body) {
        onContext(limiter.admit(principal, tokens), (decision, failure) -> {
            if (failure != null) {
                Log.errorf(
                        "request %s: rate limiter failed: %s",
                        requestId(ctx), failure.getClass().getSimpleName());
                error(
                        ctx,
                        503,
                        "TokenHub could not check your rate limits right now. Please retry.",
                        "server_error",
                        null,
                        "rate_limiter_unavailable");
                return;
            }
            RateLimitHeaders.apply(ctx.response().headers(), decision);
            if (!decision.allowed()) {
                rateLimited(ctx, principal, decision, tokens);
                return;
            }
            if (body == null) {
                ctx.request().resume();
            }
            relay(ctx, principal, body, tokens);
        });
    }

    /** A request refused for its shape still counts as one request, so a flood of junk is limited like any other. */
    private void refuseCounted(RoutingContext ctx, KeyPrincipal principal, Rejection rejection) {
        onContext(limiter.admit(principal, 0), (decision, failure) -> {
            if (decision != null) {
                RateLimitHeaders.apply(ctx.response().headers(), decision);
                if (!decision.allowed()) {
                    rateLimited(ctx, principal, decision, 0);
                    return;
                }
            }
            reject(ctx, rejection);
        });
    }

    private static void rateLimited(RoutingContext ctx, KeyPrincipal principal, Decision decision, long tokens) {
        Decision.Dimension dimension = decision.refused().orElseThrow();
        String unit = dimension == Decision.Dimension.REQUESTS ? "requests per min (RPM)" : "tokens per min (TPM)";
        Optional<Decision.Window> window =
                dimension == Decision.Dimension.REQUESTS ? decision.requests() : decision.tokens();
        long limit = window.map(Decision.Window::limit).orElse(0L);
        String message = decision.neverFits()
                ? "Request too large for " + unit + " on key " + principal.keyId() + ": Limit " + limit + ", Requested "
                        + tokens + ". Reduce the input or max_tokens."
                : "Rate limit reached for " + unit + " on key " + principal.keyId() + ": Limit " + limit
                        + ". Please try again in " + RateLimitHeaders.duration(decision.retryAfterMillis()) + ".";
        error(ctx, 429, message, dimension.wire(), null, "rate_limit_exceeded");
    }

    private void relay(RoutingContext ctx, KeyPrincipal principal, Buffer body, long reservedTokens) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        String requestId = requestId(ctx);
        routing.forward(
                        request.method(),
                        request.uri(),
                        request.headers(),
                        body,
                        requestId,
                        ctx.get(CLIENT_REQUEST_ID_KEY),
                        principal)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        // Nothing reached a provider through this hop, so nothing was used.
                        limiter.settle(principal, reservedTokens, 0);
                        routingFailed(ctx, requestId, ar.cause());
                        return;
                    }
                    HttpClientResponse upstream = ar.result();
                    if (response.closed()) {
                        upstream.request().reset();
                        return;
                    }
                    response.setStatusCode(upstream.statusCode());
                    upstream.headers().forEach(h -> {
                        if (!NOT_RELAYED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                            response.headers().add(h.getKey(), h.getValue());
                        }
                    });
                    String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null) {
                        response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
                    } else {
                        response.setChunked(true);
                    }
                    response.closeHandler(v -> {
                        if (!response.ended()) {
                            // The client went away mid-answer: cancel upstream so the provider call stops too.
                            upstream.request().reset();
                        }
                    });
                    upstream.pipeTo(response);
                    if (reservedTokens > 0) {
                        upstream.end()
                                .onComplete(done -> usedTokens(upstream, done.succeeded())
                                        .ifPresent(used -> limiter.settle(principal, reservedTokens, used)));
                    }
                });
    }

    /**
     * What routing-service says the request used: a header on answers, a trailer on streams; none when it called no
     * provider (a refusal of its own). An answer cut off on the way keeps its reservation, since it may have used it.
     */
    private static Optional<Long> usedTokens(HttpClientResponse upstream, boolean complete) {
        String used = upstream.getHeader(TokenHubHeaders.USAGE_TOKENS);
        if (used == null && complete) {
            used = upstream.getTrailer(TokenHubHeaders.USAGE_TOKENS);
        }
        if (used == null) {
            return complete ? Optional.of(0L) : Optional.empty();
        }
        try {
            return Optional.of(Math.max(0, Long.parseLong(used.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void routingFailed(RoutingContext ctx, String requestId, Throwable failure) {
        Log.warnf(
                "request %s: routing-service call failed: %s",
                requestId, failure.getClass().getSimpleName());
        if (failure instanceof TimeoutException) {
            error(ctx, 504, "The request timed out inside TokenHub.", "server_error", null, "timeout");
        } else if (failure instanceof CircuitBreaker.OpenException) {
            error(
                    ctx,
                    503,
                    "TokenHub is temporarily unavailable. Please retry shortly.",
                    "server_error",
                    null,
                    "service_unavailable");
        } else if (failure instanceof ConnectionPoolTooBusyException) {
            // Every connection or stream to routing-service is busy: this replica's limit, answered at once.
            RateLimitHeaders.retryAfter(ctx.response().headers(), ROUTING_BUSY_RETRY_MILLIS);
            error(
                    ctx,
                    503,
                    "TokenHub is at capacity. Please retry shortly.",
                    "server_error",
                    null,
                    "service_unavailable");
        } else {
            error(
                    ctx,
                    502,
                    "TokenHub could not route your request. Please retry.",
                    "server_error",
                    null,
                    "routing_unavailable");
        }
    }

    /** Runs {@code then} on the request's own event loop, whichever thread completes {@code stage}. */
    private static <T> void onContext(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        Context context = Vertx.currentContext();
        stage.whenComplete((value, failure) -> {
            if (Vertx.currentContext() == context) {
                then.accept(value, failure);
            } else {
                context.runOnContext(v -> then.accept(value, failure));
            }
        });
    }

    private static String requestId(RoutingContext ctx) {
        return ctx.get(REQUEST_ID_KEY);
    }

    private Rejection tooLarge() {
        return new Rejection(
                413, "Request body too large: at most " + maxBodyBytes + " bytes.", null, "request_too_large");
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null
                || authorization.length() <= 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String key = authorization.substring(7).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void reject(RoutingContext ctx, Rejection rejection) {
        error(
                ctx,
                rejection.status(),
                rejection.getMessage(),
                "invalid_request_error",
                rejection.param(),
                rejection.code());
    }

    /**
     * Ends the exchange with an error: Anthropic's shape on the Messages endpoints (with the request id, as Anthropic
     * sends it), OpenAI's elsewhere. When an HTTP/1.x body has not been read to its end the connection is
     * closed after the answer and the rest of the body, since that rest would otherwise be read as the next request;
     * an HTTP/2 stream ends on its own without touching the connection's other streams.
     */
    static void error(RoutingContext ctx, int status, String message, String type, String param, String code) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        HttpServerRequest request = ctx.request();
        boolean pending = !request.isEnded() && request.version() != HttpVersion.HTTP_2;
        boolean unread = pending && !bodyless(request);
        if (unread) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        } else if (pending) {
            // Only the end of a request without a body is still queued behind the pause: let it through and keep the
            // connection, or every refused GET (a guessed key, say) would cost the client a new one.
            request.resume();
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(
                        AnthropicErrorBody.appliesTo(ctx.normalizedPath())
                                ? AnthropicErrorBody.json(
                                        status, message, response.headers().get(TokenHubHeaders.REQUEST_ID))
                                : ErrorBody.json(message, type, param, code))
                .onComplete(sent -> {
                    if (unread) {
                        lingerThenClose(ctx);
                    }
                });
    }

    /** A request that declares no body (no Content-Length above 0, no Transfer-Encoding) has nothing left to read. */
    private static boolean bodyless(HttpServerRequest request) {
        return contentLength(request) <= 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null;
    }

    /**
     * Closes the connection once the client has sent what it started, as nginx's lingering close does: closing while
     * a client is still writing its body resets the connection, and the client (Node's fetch, so the OpenAI SDK)
     * reports EPIPE instead of reading the answer already sent. What arrives is dropped unread, and only up to a
     * bound of bytes and time, so a client cannot hold the connection open by sending forever.
     */
    private static void lingerThenClose(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long[] dropped = {0};
        long timer =
                ctx.vertx().setTimer(LINGER_MILLIS, t -> request.connection().close());
        Runnable close = () -> {
            ctx.vertx().cancelTimer(timer);
            request.connection().close();
        };
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > LINGER_BYTES) {
                close.run();
            }
        });
        request.endHandler(v -> close.run());
        request.exceptionHandler(e -> close.run());
        request.resume();
    }
}
