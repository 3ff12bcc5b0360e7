package io.tokenhub.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The last request a simulator served, so tests can check what a gateway sent upstream (the native request a
 * translation produced, the headers it set). Holds the request's own header map and body buffer, so recording costs
 * nothing until a test reads it.
 */
public final class RecordedRequest {

    private final HttpVersion version;
    private final String method;
    private final String path;
    private final String query;
    private final MultiMap headers;
    private final Buffer body;

    RecordedRequest(HttpVersion version, String method, String path, String query, MultiMap headers, Buffer body) {
        this.version = version;
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    /** The protocol the request came in over: HTTP/2 when the client spoke h2c. */
    public HttpVersion version() {
        return version;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The query string without {@code ?}, or null. */
    public String query() {
        return query;
    }

    /** A header's first value, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    public String body() {
        return body.toString();
    }

    public JsonNode bodyJson() {
        try {
            return Json.MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("the recorded body is not JSON", e);
        }
    }

    /** The control API's view: version, method, path, query, headers (lower-case names) and the body as text. */
    ObjectNode toJson() {
        ObjectNode out = Json.object()
                .put("version", version.alpnName())
                .put("method", method)
                .put("path", path)
                .put("query", query);
        ObjectNode h = out.putObject("headers");
        for (Map.Entry<String, String> e : headers) {
            h.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        out.put("body", body());
        return out;
    }
}
