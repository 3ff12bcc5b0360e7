package io.tokenhub.routing.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's embeddings answer ({@code {"object": "list", "data": [...], "model", "usage"}}) built from the vectors a
 * provider returned. With {@code encoding_format: base64} each vector is its little-endian float32 bytes in base64,
 * as OpenAI encodes it and as the OpenAI SDKs decode it.
 */
public final class EmbeddingsResponses {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EmbeddingsResponses() {}

    /** {@code vectors} are JSON arrays of numbers, in input order. */
    public static ObjectNode list(List<JsonNode> vectors, String model, long promptTokens, boolean base64) {
        ObjectNode out = NODES.objectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            JsonNode vector = vectors.get(i);
            if (base64) {
                item.put("embedding", base64(vector));
            } else {
                item.set("embedding", vector);
            }
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return out;
    }

    private static String base64(JsonNode vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        vector.forEach(v -> bytes.putFloat(v.floatValue()));
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
