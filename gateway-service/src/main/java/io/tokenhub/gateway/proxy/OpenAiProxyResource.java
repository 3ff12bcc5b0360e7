package io.tokenhub.gateway.proxy;

import io.quarkus.logging.Log;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.gateway.config.GatewayConfig;
import io.tokenhub.gateway.http.OpenAiErrorBody;
import io.tokenhub.gateway.http.RequestIds;
import io.tokenhub.gateway.keys.ApiKeyService;
import io.tokenhub.gateway.keys.KeyPrincipal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The public OpenAI-compatible API: every {@code /v1} request is authenticated with its TokenHub key, given a request
 * id and relayed to routing-service; the answer (JSON or an event stream) is relayed back as it arrives. Every
 * response of this service carries the request id, errors included.
 */
@ApplicationScoped
public class OpenAiProxyResource {

    /** Ahead of Quarkus REST, so /v1 never reaches JAX-RS and every response gets its request id first. */
    private static final int FIRST = -1000;
    private static final int PROXY = -100;
    private static final String REQUEST_ID_KEY = "tokenhub.request-id";
    /** Hop-by-hop and internal headers that must not travel from routing-service to the client. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "x-inferoute-request-id", "x-request-id");

    private final ApiKeyService keys;
    private final RoutingClient routing;
    private final int maxBodyBytes;

    public OpenAiProxyResource(ApiKeyService keys, RoutingClient routing, GatewayConfig config) {
        this.keys = keys;
        this.routing = routing;
        this.maxBodyBytes = config.limits().maxBodyBytes();
    }

    void routes(@Observes Router router) {
        router.route().order(FIRST).handler(ctx -> {
            String id = RequestIds.acceptOrCreate(ctx.request().getHeader(TokenHubHeaders.REQUEST_ID));
            ctx.put(REQUEST_ID_KEY, id);
            ctx.response().putHeader(TokenHubHeaders.REQUEST_ID, id).putHeader(TokenHubHeaders.OPENAI_REQUEST_ID, id);
            ctx.next();
        });
        router.route("/v1/*").order(PROXY).handler(this::proxy);
    }

    private void proxy(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String requestId = ctx.get(REQUEST_ID_KEY);
        Optional<String> key = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (key.isEmpty()) {
            error(ctx.response(), 401, "You didn't provide an API key. You need to provide your TokenHub API key in "
                    + "an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", "missing_api_key");
            return;
        }
        long declared = contentLength(request);
        if (declared > maxBodyBytes) {
            error(ctx.response(), 413, "Request body too large: at most " + maxBodyBytes + " bytes.",
                    "invalid_request_error", "request_too_large");
            return;
        }
        request.pause();
        Context context = Vertx.currentContext();
        keys.verify(key.get()).whenComplete((principal, failure) -> {
            if (Vertx.currentContext() == context) {
                authenticated(ctx, requestId, principal, failure);
            } else {
                context.runOnContext(v -> authenticated(ctx, requestId, principal, failure));
            }
        });
    }

    private void authenticated(RoutingContext ctx, String requestId, Optional<KeyPrincipal> principal,
            Throwable failure) {
        if (failure != null) {
            Log.errorf("request %s: key verification failed: %s", requestId, failure.getClass().getSimpleName());
            error(ctx.response(), 503, "TokenHub could not verify your API key right now. Please retry.",
                    "server_error", "auth_unavailable");
            return;
        }
        if (principal.isEmpty()) {
            error(ctx.response(), 401, "Incorrect API key provided. You can find your API keys in the TokenHub "
                    + "dashboard.", "invalid_request_error", "invalid_api_key");
            return;
        }
        HttpServerRequest request = ctx.request();
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            relay(ctx, requestId, principal.get(), null);
            request.resume();
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                error(ctx.response(), 413, "Request body too large: at most " + maxBodyBytes + " bytes.",
                        "invalid_request_error", "request_too_large");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!ctx.response().ended()) {
                relay(ctx, requestId, principal.get(), body);
            }
        });
        request.resume();
    }

    private void relay(RoutingContext ctx, String requestId, KeyPrincipal principal, Buffer body) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        routing.forward(request.method(), request.uri(), request.headers(), body, requestId, principal)
                .subscribe().with(upstream -> {
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
                }, failure -> routingFailed(response, requestId, failure));
    }

    private static void routingFailed(HttpServerResponse response, String requestId, Throwable failure) {
        Log.warnf("request %s: routing-service call failed: %s", requestId, failure.getClass().getSimpleName());
        if (failure instanceof TimeoutException) {
            error(response, 504, "The request timed out inside TokenHub.", "server_error", "timeout");
        } else if (failure instanceof CircuitBreakerOpenException) {
            error(response, 503, "TokenHub is temporarily unavailable. Please retry shortly.", "server_error",
                    "service_unavailable");
        } else {
            error(response, 502, "TokenHub could not route your request. Please retry.", "server_error",
                    "routing_unavailable");
        }
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || authorization.length() <= 7
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

    static void error(HttpServerResponse response, int status, String message, String type, String code) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(OpenAiErrorBody.of(message, type, null, code));
    }
}
