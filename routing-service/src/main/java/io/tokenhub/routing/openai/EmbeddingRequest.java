package io.tokenhub.routing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's embeddings request (https://platform.openai.com/docs/api-reference/embeddings/create), parsed once and
 * checked the way OpenAI checks it.
 *
 * @param body the request as the client sent it
 * @param model the model string as sent, plain or provider-prefixed
 * @param texts the inputs as texts, in order; null when the client sent token arrays, which only OpenAI reads
 * @param base64 whether the client asked for {@code encoding_format: base64} (what the OpenAI Node SDK asks for)
 * @param dimensions the vector size asked for, null for the model's own
 */
public record EmbeddingRequest(ObjectNode body, String model, List<String> texts, boolean base64, Integer dimensions) {

    /** OpenAI's limit on inputs per request. */
    static final int MAX_INPUTS = 2048;

    /** Parses and validates a request body, or throws the 400 the client should get. */
    public static EmbeddingRequest parse(ObjectMapper json, byte[] bytes) {
        JsonNode root;
        try {
            root = RequestParser.readTree(json, bytes);
        } catch (IOException e) {
            throw invalid(
                    "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.", null);
        }
        if (!(root instanceof ObjectNode body)) {
            throw invalid("The request body must be a JSON object.", null);
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw invalid("you must provide a model parameter", "model");
        }
        String format = body.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw invalid("'" + format + "' is not one of ['float', 'base64'] - 'encoding_format'", "encoding_format");
        }
        JsonNode dimensions = body.get("dimensions");
        if (dimensions != null && !dimensions.isNull() && (!dimensions.isIntegralNumber() || dimensions.asInt() < 1)) {
            throw invalid("Invalid 'dimensions': expected a positive integer.", "dimensions");
        }
        return new EmbeddingRequest(
                body,
                model.asText(),
                texts(body.get("input")),
                format.equals("base64"),
                dimensions == null || dimensions.isNull() ? null : dimensions.asInt());
    }

    /** The inputs as texts, null for token arrays; anything else, or nothing, is a 400. */
    private static List<String> texts(JsonNode input) {
        if (input == null || input.isNull()) {
            throw invalid("Missing required parameter: 'input'.", "input");
        }
        if (input.isTextual()) {
            if (input.asText().isEmpty()) {
                throw invalid("'input' cannot be an empty string.", "input");
            }
            return List.of(input.asText());
        }
        if (!input.isArray() || input.isEmpty() || input.size() > MAX_INPUTS) {
            throw invalid(
                    "'input' must be a string or a non-empty array of at most " + MAX_INPUTS
                            + " strings or token arrays.",
                    "input");
        }
        if (input.get(0).isNumber() || input.get(0).isArray()) {
            for (JsonNode item : input) {
                if (!(item.isIntegralNumber() || item.isArray() && !item.isEmpty())) {
                    throw invalid("'input' must not mix texts and token arrays.", "input");
                }
            }
            return null;
        }
        List<String> texts = new ArrayList<>(input.size());
        for (JsonNode item : input) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw invalid("Each element of 'input' must be a non-empty string.", "input");
            }
            texts.add(item.asText());
        }
        return List.copyOf(texts);
    }

    /** The texts, or the 400 for a provider that cannot read token arrays. */
    public List<String> requireTexts(String provider) {
        if (texts == null) {
            throw invalid(provider + " embeds text only: send 'input' as strings, not token arrays.", "input");
        }
        return texts;
    }

    static InvalidRequestException invalid(String message, String param) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, param));
    }
}
