package io.tokenhub.gateway.edge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.tokenhub.common.wire.TokenEstimate;
import io.tokenhub.gateway.config.GatewayConfig;
import java.io.IOException;
import java.util.Optional;

/**
 * One streaming pass over a request body before it is forwarded, never building a tree and never re-serialising: the
 * body must be one JSON object in UTF-8, within the depth, message and input limits, with no duplicate keys (so the
 * gateway and routing-service cannot read different values) and no unpaired surrogates (which no provider accepts).
 * The same pass measures what the token rate limits need: the characters of every string value, the token ids of
 * an embeddings {@code input}, and the output the request reserves ({@code max_completion_tokens},
 * {@code max_tokens} or the Responses API's {@code max_output_tokens}, times {@code n}).
 */
public final class BodyInspector {

    private final JsonFactory json;
    private final int maxMessages;
    private final int maxInputs;

    public BodyInspector(GatewayConfig.Limits limits) {
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxJsonDepth())
                        .maxStringLength(limits.maxBodyBytes())
                        .maxNumberLength(64)
                        .maxDocumentLength(limits.maxBodyBytes())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.maxMessages = limits.maxMessages();
        this.maxInputs = limits.maxEmbeddingInputs();
    }

    /**
     * What a valid body will cost, as far as the rate limits can tell before it runs.
     *
     * @param promptTokens the prompt, estimated from its characters (and an embeddings input's token ids)
     * @param reservedOutputTokens the output it allows at most, times {@code n}; 0 when it sets no limit
     * @param model the top-level {@code model} when it is a string of at most {@value #MAX_MODEL_CHARS} characters
     */
    public record Estimate(long promptTokens, long reservedOutputTokens, Optional<String> model) {

        /**
         * The tokens a request reserves against a tokens-per-minute limit until its real usage settles it: the prompt
         * plus the output it allows, or {@code defaultOutput} when it sets no limit.
         */
        public long reservation(long defaultOutput) {
            long output = reservedOutputTokens > 0 ? reservedOutputTokens : defaultOutput;
            long sum = promptTokens + output;
            return sum < 0 ? Long.MAX_VALUE : sum;
        }
    }

    /** Longer "model" values name no model of the catalog; they are measured like any string and not kept. */
    public static final int MAX_MODEL_CHARS = 256;

    /** The endpoints whose bodies are inspected. */
    public enum Endpoint {
        CHAT_COMPLETIONS,
        EMBEDDINGS,
        /** OpenAI's Responses API: its {@code input} list holds the conversation's items. */
        RESPONSES,
        /** Anthropic's Messages API, {@code count_tokens} included: its {@code messages} list is the conversation. */
        MESSAGES
    }

    public Estimate inspect(Endpoint endpoint, byte[] body) throws Rejection {
        if (body.length == 0) {
            throw unparsable("The request body is empty.");
        }
        Utf8.Text text = utf16Or32(body) ? Utf8.Text.INVALID : Utf8.scan(body);
        if (text == Utf8.Text.INVALID) {
            throw new Rejection(400, "The request body is not valid UTF-8.", null, "invalid_encoding");
        }
        try (JsonParser parser = json.createParser(body)) {
            return new Walk(parser, body, endpoint, text == Utf8.Text.VALID_WITH_ESCAPES).root();
        } catch (Rejection r) {
            throw r;
        } catch (StreamConstraintsException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.contains("nesting depth")) {
                throw new Rejection(400, "The request body is nested too deeply.", null, "json_too_deep");
            }
            throw new Rejection(400, "The request body exceeds a size limit for JSON values.", null, "json_too_large");
        } catch (JsonParseException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                throw new Rejection(
                        400, "The request body names the same field twice in one object.", null, "duplicate_field");
            }
            throw unparsable(where(e));
        } catch (JsonProcessingException e) {
            throw unparsable(where(e));
        } catch (IOException e) {
            throw unparsable("The request body could not be read.");
        }
    }

    /**
     * UTF-16 and UTF-32 put a NUL among the first bytes, since JSON text starts with an ASCII character; NUL is valid
     * UTF-8, so the strict decoder alone would let them through. Their byte order marks never pass it.
     */
    private static boolean utf16Or32(byte[] body) {
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null
                ? "The request body is not valid JSON."
                : "The request body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ").";
    }

    private static Rejection unparsable(String detail) {
        return new Rejection(
                400,
                "We could not parse the JSON body of your request. " + detail
                        + " The API expects a JSON object sent with Content-Type: application/json.",
                null,
                "invalid_json");
    }

    /** The state of one pass. */
    private final class Walk {

        private final JsonParser parser;
        private final byte[] body;
        private final Endpoint endpoint;
        /**
         * Whether strings may hold an escaped lone surrogate; without it their decoded text is never looked at again,
         * since gathering a long string's characters into one array would copy it whole.
         */
        private final boolean escapes;

        private long chars;
        private long tokenIds;
        private long maxOutput;
        private long choices = 1;
        private String model;

        Walk(JsonParser parser, byte[] body, Endpoint endpoint, boolean escapes) {
            this.parser = parser;
            this.body = body;
            this.endpoint = endpoint;
            this.escapes = escapes;
        }

        Estimate root() throws IOException, Rejection {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Rejection(400, "The request body must be a JSON object.", null, "invalid_json");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                checkText();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "messages" -> {
                        if (endpoint == Endpoint.CHAT_COMPLETIONS || endpoint == Endpoint.MESSAGES) {
                            list(value, "messages", maxMessages, false, "too_many_messages");
                        } else {
                            value(value, false);
                        }
                    }
                    case "input" -> {
                        if (endpoint == Endpoint.EMBEDDINGS && value == JsonToken.START_ARRAY) {
                            list(value, "input", maxInputs, true, "too_many_inputs");
                        } else if (endpoint == Endpoint.RESPONSES && value == JsonToken.START_ARRAY) {
                            list(value, "input", maxMessages, false, "too_many_messages");
                        } else {
                            value(value, false);
                        }
                    }
                    case "model" -> {
                        if (value == JsonToken.VALUE_STRING && parser.getTextLength() <= MAX_MODEL_CHARS) {
                            model = parser.getText();
                        }
                        value(value, false);
                    }
                    case "max_tokens", "max_completion_tokens", "max_output_tokens" ->
                        maxOutput = Math.max(maxOutput, count(value, name));
                    case "n" -> choices = Math.max(1, count(value, name));
                    default -> value(value, false);
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw unparsable("The request body is not valid JSON.");
            }
            if (parser.nextToken() != null) {
                throw unparsable("The request body has content after its JSON object.");
            }
            long prompt = TokenEstimate.fromChars(chars) + tokenIds;
            return new Estimate(prompt, multiplyCapped(maxOutput, choices), Optional.ofNullable(model));
        }

        private void list(JsonToken first, String field, int max, boolean tokenIdsInside, String tooMany)
                throws IOException, Rejection {
            if (first != JsonToken.START_ARRAY) {
                throw new Rejection(400, "'" + field + "' must be an array.", field, "invalid_type");
            }
            int count = 0;
            JsonToken element;
            while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (element == null) {
                    throw unparsable("The request body ends too early.");
                }
                if (++count > max) {
                    throw new Rejection(400, "'" + field + "' has more than " + max + " entries.", field, tooMany);
                }
                value(element, tokenIdsInside);
            }
        }

        /** Walks one value to its end; Jackson enforces the depth limit as it goes. */
        private void value(JsonToken first, boolean tokenIdsInside) throws IOException, Rejection {
            int depth = 0;
            JsonToken token = first;
            while (true) {
                if (token == null) {
                    throw unparsable("The request body ends too early.");
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> {
                        if (escapes) {
                            chars += parser.getTextLength();
                            checkText();
                        } else {
                            chars += Utf8.jsonStringLength(
                                    body, (int) parser.currentTokenLocation().getByteOffset());
                        }
                    }
                    case FIELD_NAME -> checkText();
                    case VALUE_NUMBER_INT -> {
                        if (tokenIdsInside) {
                            tokenIds++;
                        }
                    }
                    default -> {
                        // Other scalars (floats, booleans, null) cost nothing and cannot be malformed any more.
                    }
                }
                if (depth == 0) {
                    return;
                }
                token = parser.nextToken();
            }
        }

        private long count(JsonToken token, String field) throws IOException, Rejection {
            if (token == JsonToken.VALUE_NULL) {
                return 0;
            }
            if (token != JsonToken.VALUE_NUMBER_INT
                    || parser.getNumberType() != JsonParser.NumberType.INT
                    || parser.getIntValue() < 0) {
                throw new Rejection(400, "'" + field + "' must be a non-negative integer.", field, "invalid_type");
            }
            return parser.getIntValue();
        }

        /** Unpaired surrogates (from \\uD800-style escapes) are not Unicode text; no provider would accept them. */
        private void checkText() throws IOException, Rejection {
            if (!escapes) {
                return;
            }
            char[] text = parser.getTextCharacters();
            int end = parser.getTextOffset() + parser.getTextLength();
            for (int i = parser.getTextOffset(); i < end; i++) {
                char c = text[i];
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 < end && Character.isLowSurrogate(text[i + 1])) {
                        i++;
                        continue;
                    }
                    throw invalidText();
                }
                if (Character.isLowSurrogate(c)) {
                    throw invalidText();
                }
            }
        }

        private Rejection invalidText() {
            return new Rejection(
                    400, "The request body contains an unpaired UTF-16 surrogate escape.", null, "invalid_encoding");
        }
    }

    private static long multiplyCapped(long a, long b) {
        long product = a * b;
        return a != 0 && product / a != b ? Long.MAX_VALUE : product;
    }
}
