package io.tokenhub.gateway.edge;

import io.tokenhub.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks on a request's head that need no body: its size and header count (Netty's own, larger limit stays as a
 * backstop that answers without an OpenAI body), and whether a body is declared as JSON in UTF-8.
 */
public final class HeadLimits {

    /** Longest request line accepted; Netty's backstop is set above it. */
    private static final int MAX_URI_CHARS = 8_192;

    private final int maxHeaderBytes;
    private final int maxHeaders;

    public HeadLimits(GatewayConfig.Limits limits) {
        this.maxHeaderBytes = limits.maxHeaderBytes();
        this.maxHeaders = limits.maxHeaders();
    }

    /** The rejection a request head earns, if any. */
    public Optional<Rejection> check(HttpServerRequest request) {
        String uri = request.uri();
        if (uri.length() > MAX_URI_CHARS) {
            return Optional.of(new Rejection(
                    414, "The request URL is longer than " + MAX_URI_CHARS + " characters.", null, "uri_too_long"));
        }
        int count = 0;
        long bytes = request.method().name().length() + uri.length() + 12L;
        for (Map.Entry<String, String> header : request.headers()) {
            count++;
            bytes += header.getKey().length() + header.getValue().length() + 4L;
        }
        if (count > maxHeaders || bytes > maxHeaderBytes) {
            return Optional.of(new Rejection(
                    431,
                    "The request headers are too large: at most " + maxHeaders + " headers and " + maxHeaderBytes
                            + " bytes.",
                    null,
                    "request_header_fields_too_large"));
        }
        return Optional.empty();
    }

    /** JSON bodies must say so, in UTF-8 (the default for application/json) if a charset is named at all. */
    public static Optional<Rejection> checkJsonContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return Optional.of(unsupported("The request has no Content-Type; send Content-Type: application/json."));
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return Optional.of(unsupported("Content-Type must be application/json."));
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter
                        .substring("charset=".length())
                        .replace("\"", "")
                        .strip();
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return Optional.of(
                            unsupported("JSON bodies must be UTF-8; charset " + charset + " is not accepted."));
                }
            }
        }
        return Optional.empty();
    }

    private static Rejection unsupported(String message) {
        return new Rejection(415, message, null, "unsupported_media_type");
    }
}
