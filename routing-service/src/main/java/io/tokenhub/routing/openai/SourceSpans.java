package io.tokenhub.routing.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client's own bytes of a request and where each top-level field's value sits in them, so that a provider
 * request can carry every value it leaves untouched as the client wrote it: serialising a 1 MB prompt again, escaping
 * it character by character, costs milliseconds, copying its bytes a fraction of one.
 *
 * @param bytes the request body as received
 * @param fields by field name, the value parsed from the bytes and where they hold it
 */
public record SourceSpans(byte[] bytes, Map<String, Span> fields) {

    /** No client bytes: a request translated from another API, or one whose bytes give no byte offsets. */
    public static final SourceSpans NONE = new SourceSpans(new byte[0], Map.of());

    /**
     * One top-level value.
     *
     * @param value the node parsed from {@code bytes[start, end)}; a field holding another node was changed since
     * @param start offset of the value's first byte
     * @param end offset after its last byte
     */
    public record Span(JsonNode value, int start, int end) {}

    /**
     * {@code body} as JSON: each field whose value is still the node parsed from the client's bytes copied from them,
     * the others (changed, added) written by {@code json}.
     */
    public byte[] write(ObjectMapper json, ObjectNode body) throws JsonProcessingException {
        List<Piece> pieces = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            pieces.add(Piece.of(json.writeValueAsBytes(field.getKey())));
            Span span = fields.get(field.getKey());
            pieces.add(
                    span != null && span.value() == field.getValue()
                            ? new Piece(bytes, span.start(), span.end())
                            : Piece.of(json.writeValueAsBytes(field.getValue())));
        }
        // Braces, a colon per field and a comma between two, around the pieces: sized once, copied once.
        int size = 2 + Math.max(0, pieces.size() - 1);
        for (Piece piece : pieces) {
            size += piece.to() - piece.from();
        }
        byte[] out = new byte[size];
        out[0] = '{';
        int at = 1;
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0) {
                out[at++] = (byte) (i % 2 == 1 ? ':' : ',');
            }
            Piece piece = pieces.get(i);
            System.arraycopy(piece.bytes(), piece.from(), out, at, piece.to() - piece.from());
            at += piece.to() - piece.from();
        }
        out[at] = '}';
        return out;
    }

    private record Piece(byte[] bytes, int from, int to) {
        static Piece of(byte[] bytes) {
            return new Piece(bytes, 0, bytes.length);
        }
    }
}
