package io.tokenhub.routing.inbound;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.routing.dialect.ClientDialect;
import io.tokenhub.routing.dialect.chat.ChatCompletionsDialect;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes responses to gateway-service in the client API's shapes (OpenAI's unless told) with TokenHub's headers. */
public final class Responder {

    private Responder() {}

    public static void error(HttpServerResponse response, OpenAiError error, Provider provider, boolean fallback) {
        error(response, error, provider, fallback, ChatCompletionsDialect.INSTANCE);
    }

    /** The error in {@code dialect}'s shape, with the status and retry hint it has in every shape. */
    public static void error(
            HttpServerResponse response,
            OpenAiError error,
            Provider provider,
            boolean fallback,
            ClientDialect dialect) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (error.retryAfterSeconds() != null) {
            response.putHeader("retry-after", Long.toString(error.retryAfterSeconds()));
        }
        routingHeaders(response, provider, fallback);
        response.setStatusCode(error.status())
                .putHeader("content-type", "application/json")
                .end(dialect.errorBody(error));
    }

    public static void json(HttpServerResponse response, byte[] body, Provider provider, boolean fallback) {
        routingHeaders(response, provider, fallback);
        response.putHeader("content-type", "application/json").end(Buffer.buffer(body));
    }

    /** Starts an SSE response; the head goes out with the first write. */
    public static void startStream(HttpServerResponse response, Provider provider, boolean fallback) {
        routingHeaders(response, provider, fallback);
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
    }

    /**
     * Tells the gateway how many tokens the request used, so it settles the tokens-per-minute reservation it made
     * from an estimate: a header while the head is unwritten, a trailer once a stream has begun.
     */
    public static void usedTokens(HttpServerResponse response, long tokens) {
        if (response.ended() || response.closed()) {
            return;
        }
        String value = Long.toString(tokens);
        if (!response.headWritten()) {
            response.putHeader(TokenHubHeaders.USAGE_TOKENS, value);
        } else if (response.isChunked()) {
            response.putTrailer(TokenHubHeaders.USAGE_TOKENS, value);
        }
    }

    private static void routingHeaders(HttpServerResponse response, Provider provider, boolean fallback) {
        if (provider != null) {
            response.putHeader(TokenHubHeaders.PROVIDER, provider.wireName());
            response.putHeader(TokenHubHeaders.FALLBACK, Boolean.toString(fallback));
        }
    }
}
