package io.tokenhub.simulator.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.TokenCounter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** What the Gemini API refuses with a 400 {@code INVALID_ARGUMENT}, and how a valid request reads as a {@link io.tokenhub.simulator.Conversation}. */
final class GoogleRequests {

    private GoogleRequests() {}

    /** GenerateContentRequest's fields in REST (camelCase) form, as the SDK sends them. */
    static final Set<String> REQUEST_FIELDS = Set.of(
            "model",
            "contents",
            "systemInstruction",
            "tools",
            "toolConfig",
            "safetySettings",
            "generationConfig",
            "cachedContent",
            "labels",
            "serviceTier",
            "store");

    static final Set<String> GENERATION_CONFIG_FIELDS = Set.of(
            "stopSequences",
            "responseMimeType",
            "responseSchema",
            "responseJsonSchema",
            "responseModalities",
            "candidateCount",
            "maxOutputTokens",
            "temperature",
            "topP",
            "topK",
            "seed",
            "presencePenalty",
            "frequencyPenalty",
            "responseLogprobs",
            "logprobs",
            "enableEnhancedCivicAnswers",
            "speechConfig",
            "thinkingConfig",
            "imageConfig",
            "mediaResolution",
            "audioTranscriptionConfig");

    static final int MAX_BATCH = 100;

    /** The first reason the real API would refuse the body for {@code model} with INVALID_ARGUMENT, or null. */
    static String problem(ObjectNode request, String model) {
        String unknown = unknownField(request, REQUEST_FIELDS, null);
        if (unknown == null && request.has("generationConfig")) {
            unknown = unknownField(request.get("generationConfig"), GENERATION_CONFIG_FIELDS, "generation_config");
        }
        if (unknown != null) {
            return unknown;
        }
        JsonNode contents = request.path("contents");
        if (!contents.isArray() || contents.isEmpty()) {
            return "* GenerateContentRequest.contents: contents is not specified\n";
        }
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            String role = content.path("role").asText("user");
            if (!role.equals("user") && !role.equals("model")) {
                return "Please use a valid role: user, model.";
            }
            JsonNode parts = content.path("parts");
            if (!parts.isArray() || parts.isEmpty()) {
                return "* GenerateContentRequest.contents[" + i + "].parts: contents.parts must not be empty.\n";
            }
            for (int j = 0; j < parts.size(); j++) {
                JsonNode response = parts.get(j).get("functionResponse");
                if (response != null && response.path("name").asText("").isEmpty()) {
                    return "* GenerateContentRequest.contents[" + i + "].parts[" + j
                            + "].function_response.name: Name cannot be empty.\n";
                }
            }
            int calls = count(parts, "functionCall");
            if (calls > 0
                    && i + 1 < contents.size()
                    && count(contents.get(i + 1).path("parts"), "functionResponse") != calls) {
                return "Please ensure that the number of function response parts is equal to the number of "
                        + "function call parts of the function call turn.";
            }
        }
        return GoogleAnswers.signs(model) ? unsignedCall(contents) : null;
    }

    /**
     * Gemini 3 wants the signature back on the first function call of every model step of the current turn, which
     * begins at the last user content that is not function responses
     * (https://ai.google.dev/gemini-api/docs/thought-signatures); earlier turns are not checked. The wording is the
     * real API's, as reported in https://github.com/block/goose/issues/5792 (Google documents no exact text, nor
     * whether "position" counts contents or parts: here the 1-based content).
     */
    static String unsignedCall(JsonNode contents) {
        int start = 0;
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            if (!content.path("role").asText("user").equals("model")
                    && count(content.path("parts"), "functionResponse") == 0) {
                start = i;
            }
        }
        for (int i = start; i < contents.size(); i++) {
            for (JsonNode part : contents.get(i).path("parts")) {
                if (part.has("functionCall")) {
                    if (!part.hasNonNull(GoogleAnswers.THOUGHT_SIGNATURE)) {
                        return "Function call is missing a thought_signature in functionCall parts. This is required "
                                + "for tools to work correctly, and missing thought_signature may lead to degraded "
                                + "model performance. Additional data, function call `default_api:"
                                + part.get("functionCall").path("name").asText() + "` , position " + (i + 1)
                                + ". Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for "
                                + "more details.";
                    }
                    break;
                }
            }
        }
        return null;
    }

    static String unknownField(JsonNode object, Set<String> allowed, String at) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                return "Invalid JSON payload received. Unknown name \"" + name + "\""
                        + (at == null ? "" : " at '" + at + "'") + ": Cannot find field.";
            }
        }
        return null;
    }

    static int count(JsonNode parts, String kind) {
        int n = 0;
        for (JsonNode part : parts) {
            if (part.has(kind)) {
                n++;
            }
        }
        return n;
    }

    static Conversation conversation(ObjectNode request, String model) {
        List<String> texts = new ArrayList<>();
        if (request.has("systemInstruction")) {
            texts.add(text(request.get("systemInstruction").path("parts")));
        }
        JsonNode contents = request.get("contents");
        for (JsonNode content : contents) {
            texts.add(text(content.path("parts")));
        }
        List<String> results = new ArrayList<>();
        for (JsonNode part : contents.get(contents.size() - 1).path("parts")) {
            JsonNode response = part.path("functionResponse").path("response");
            if (!response.isMissingNode()) {
                JsonNode output = response.get("output");
                results.add(
                        output == null
                                ? response.toString()
                                : output.isTextual() ? output.asText() : output.toString());
            }
        }
        JsonNode config = request.path("generationConfig");
        boolean json = "application/json".equals(config.path("responseMimeType").asText());
        JsonNode schema =
                config.has("responseJsonSchema") ? config.get("responseJsonSchema") : config.get("responseSchema");
        Integer maxTokens = config.path("maxOutputTokens").canConvertToInt()
                ? config.get("maxOutputTokens").asInt()
                : null;
        int candidates = config.path("candidateCount").canConvertToInt()
                ? Math.max(1, config.get("candidateCount").asInt())
                : 1;
        return new Conversation(
                model,
                TokenCounter.prompt(texts),
                results.isEmpty() ? null : String.join("\n", results),
                json,
                json ? schema : null,
                maxTokens,
                candidates);
    }

    /** Text parts joined, with any other part (function call or response, inline data) as its JSON. */
    static String text(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            text.append(part.has("text") ? part.get("text").asText() : part.toString());
        }
        return text.toString();
    }
}
