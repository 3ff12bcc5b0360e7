package io.tokenhub.routing.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A client's Chat Completions request, parsed once and checked for what routing needs; the adapters read every other
 * field from {@link #body()}.
 *
 * @param body the request as the client sent it
 * @param model the model string as sent, e.g. {@code gpt-4o} or {@code openai/gpt-4o}
 * @param stream whether the client asked for server-sent events
 * @param includeUsage whether the client asked for the final usage chunk ({@code stream_options.include_usage})
 * @param routing how the request asks to be routed ({@code models}, {@code provider}), already taken out of the body
 * @param source the client's bytes of {@code body}'s fields, for a provider taking them as sent; {@link
 *     SourceSpans#NONE} for a request translated from another API
 */
public record ChatRequest(
        ObjectNode body,
        String model,
        boolean stream,
        boolean includeUsage,
        RoutingPreferences routing,
        SourceSpans source) {

    /**
     * The request fields of OpenAI's Chat Completions (https://platform.openai.com/docs/api-reference/chat/create).
     * OpenAI refuses any other with a 400 naming it, and so does TokenHub, whichever provider answers: a misspelt
     * field is never silently ignored by one provider and refused by another.
     */
    private static final Set<String> FIELDS = Set.of(
            "model",
            "messages",
            "audio",
            "frequency_penalty",
            "function_call",
            "functions",
            "logit_bias",
            "logprobs",
            "max_completion_tokens",
            "max_tokens",
            "metadata",
            "modalities",
            // OpenRouter's routing fields, read into RoutingPreferences and never forwarded.
            "models",
            "provider",
            "n",
            "parallel_tool_calls",
            "prediction",
            "presence_penalty",
            "prompt_cache_key",
            "reasoning_effort",
            "response_format",
            "safety_identifier",
            "seed",
            "service_tier",
            "stop",
            "store",
            "stream",
            "stream_options",
            "temperature",
            "tool_choice",
            "tools",
            "top_logprobs",
            "top_p",
            "user",
            "verbosity",
            "web_search_options");
    /**
     * Anthropic's {@code thinking} object, as a Messages request sent it: the exact budget Claude gets, which a
     * reasoning effort would round. Internal: only a translated request carries it ({@link #of}); a chat client's own
     * is refused as OpenAI refuses it ({@link #parse}), and only the Anthropic adapter sends it on.
     */
    public static final String THINKING = "thinking";

    /**
     * The processing tiers TokenHub sells: both run at the standard price the catalog holds. The others (flex,
     * priority, scale) are priced differently, so they are refused rather than billed at a price nobody agreed to.
     */
    private static final Set<String> SERVICE_TIERS = Set.of("auto", "default");

    /** Parses and validates a request body, or throws the 400 the client should get. */
    public static ChatRequest parse(ObjectMapper json, byte[] bytes) {
        JsonNode root;
        Map<String, SourceSpans.Span> spans = new HashMap<>();
        try (JsonParser parser = RequestParser.over(json, bytes)) {
            root = parse(json, parser, spans);
        } catch (IOException e) {
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
                            + "your HTTP library correctly. The OpenAI API expects a JSON payload.)",
                    null));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(
                    OpenAiError.invalidRequest("The request body must be a JSON object.", null));
        }
        if (root.has(THINKING)) {
            throw new InvalidRequestException(
                    OpenAiError.invalidRequest("Unrecognized request argument supplied: " + THINKING, THINKING));
        }
        // A parser over chars (UTF-16 or UTF-32 input) gives no byte offsets; such a body is written out again.
        boolean located = spans.values().stream().allMatch(span -> span.start() >= 0 && span.end() >= span.start());
        return of((ObjectNode) root, located ? new SourceSpans(bytes, Map.copyOf(spans)) : SourceSpans.NONE);
    }

    /**
     * The JSON value at {@code parser}, read as {@link ObjectMapper#readTree} would; for an object, each field's value
     * read on its own so that {@code spans} learns where it sits, in the same single pass.
     */
    private static JsonNode parse(ObjectMapper json, JsonParser parser, Map<String, SourceSpans.Span> spans)
            throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return json.readTree(parser);
        }
        ObjectNode root = json.createObjectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            long start = parser.currentTokenLocation().getByteOffset();
            JsonNode value = json.readTree(parser);
            long end = parser.currentLocation().getByteOffset();
            // A repeated field keeps its first place and its last value, as readTree keeps them.
            root.replace(field, value);
            spans.put(field, new SourceSpans.Span(value, (int) start, (int) end));
        }
        return root;
    }

    /**
     * Validates a Chat Completions body, the client's own or one another API's request was translated to (which may
     * hold {@link #THINKING}), or throws the 400 the client should get.
     */
    public static ChatRequest of(ObjectNode body) {
        return of(body, SourceSpans.NONE);
    }

    private static ChatRequest of(ObjectNode body, SourceSpans source) {
        for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!FIELDS.contains(field) && !field.equals(THINKING)) {
                throw new InvalidRequestException(
                        OpenAiError.invalidRequest("Unrecognized request argument supplied: " + field, field));
            }
        }
        JsonNode tier = body.get("service_tier");
        if (tier != null && !tier.isNull() && !SERVICE_TIERS.contains(tier.asText())) {
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "service_tier '" + tier.asText()
                            + "' is not offered through TokenHub, whose prices are the standard tier's; send 'auto' or "
                            + "'default', or leave it out.",
                    "service_tier"));
        }
        RoutingPreferences routing = RoutingPreferences.take(body);
        if (!body.hasNonNull("model") && !routing.models().isEmpty()) {
            // As OpenRouter: a request naming only a list of models starts with the first.
            body.put("model", routing.models().get(0));
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new InvalidRequestException(
                    OpenAiError.invalidRequest("you must provide a model parameter", "model"));
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequestException(
                    OpenAiError.invalidRequest("'messages' must be a non-empty array.", "messages"));
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw new InvalidRequestException(
                        OpenAiError.invalidRequest("Each message must be an object with a 'role'.", "messages"));
            }
            MessageRole.of(m, i);
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw new InvalidRequestException(OpenAiError.invalidRequest("'stream' must be a boolean.", "stream"));
        }
        boolean streaming = stream != null && stream.asBoolean(false);
        boolean includeUsage =
                streaming && body.path("stream_options").path("include_usage").asBoolean(false);
        return new ChatRequest(body, model.asText(), streaming, includeUsage, routing, source);
    }
}
