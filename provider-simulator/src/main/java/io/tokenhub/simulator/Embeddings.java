package io.tokenhub.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Deterministic unit-length embedding vectors: the same text always gives the same vector, different texts almost
 * surely different ones, so tests can compare results without a model.
 */
public final class Embeddings {

    private Embeddings() {}

    public static float[] vector(String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(fnv1a(text));
        float[] v = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            double x = random.nextDouble() * 2 - 1;
            v[i] = (float) x;
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            v[i] *= scale;
        }
        return v;
    }

    public static ArrayNode json(float[] vector) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(vector.length);
        for (float f : vector) {
            array.add(f);
        }
        return array;
    }

    /** Little-endian float32 bytes in base64, OpenAI's {@code encoding_format: "base64"}. */
    public static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            bytes.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static long fnv1a(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
