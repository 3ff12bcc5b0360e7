package io.tokenhub.simulator.google;

import static io.tokenhub.simulator.google.GoogleFailures.error;
import static io.tokenhub.simulator.google.GoogleFailures.invalidArgument;
import static io.tokenhub.simulator.google.GoogleRequests.MAX_BATCH;
import static io.tokenhub.simulator.google.GoogleRequests.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Embeddings;
import io.tokenhub.simulator.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gemini's non-streaming bodies: {@code GenerateContentResponse} parts, candidates and usage metadata, embeddings, and the model list. */
final class GoogleAnswers {

    private GoogleAnswers() {}

    /** Chat models: version the API reports, input and output token limits (https://ai.google.dev/gemini-api/docs/models). */
    static final Map<String, ModelInfo> MODELS = new LinkedHashMap<>();

    static final Map<String, Integer> EMBEDDING_DIMENSIONS = Map.of(
            "text-embedding-004", 768,
            "gemini-embedding-001", 3072);

    record ModelInfo(String version, String displayName, int inputLimit, int outputLimit, boolean chat) {}

    static {
        MODELS.put("gemini-2.5-pro", new ModelInfo("2.5", "Gemini 2.5 Pro", 1_048_576, 65_536, true));
        MODELS.put("gemini-2.5-flash", new ModelInfo("001", "Gemini 2.5 Flash", 1_048_576, 65_536, true));
        MODELS.put("gemini-2.5-flash-lite", new ModelInfo("001", "Gemini 2.5 Flash-Lite", 1_048_576, 65_536, true));
        MODELS.put("gemini-3.1-flash-lite", new ModelInfo("001", "Gemini 3.1 Flash-Lite", 1_000_000, 65_536, true));
        MODELS.put("gemini-3.5-flash", new ModelInfo("001", "Gemini 3.5 Flash", 1_000_000, 65_536, true));
        MODELS.put("gemini-3.5-flash-lite", new ModelInfo("001", "Gemini 3.5 Flash-Lite", 1_000_000, 65_536, true));
        MODELS.put("gemini-3.6-flash", new ModelInfo("001", "Gemini 3.6 Flash", 1_000_000, 65_536, true));
        MODELS.put("gemini-3.7-flash", new ModelInfo("001", "Gemini 3.7 Flash", 1_000_000, 65_536, true));
        MODELS.put("gemini-1.5-pro", new ModelInfo("gemini-1.5-pro-002", "Gemini 1.5 Pro", 2_000_000, 8192, true));
        MODELS.put(
                "gemini-1.5-flash", new ModelInfo("gemini-1.5-flash-002", "Gemini 1.5 Flash", 1_000_000, 8192, true));
        MODELS.put("gemini-2.0-flash", new ModelInfo("gemini-2.0-flash", "Gemini 2.0 Flash", 1_048_576, 8192, true));
        MODELS.put("text-embedding-004", new ModelInfo("004", "Text Embedding 004", 2048, 1, false));
        MODELS.put("gemini-embedding-001", new ModelInfo("001", "Gemini Embedding 001", 2048, 1, false));
    }

    /**
     * An answer's parts. {@code signed} (a Gemini 3 model, and these are the first parts of its answer) puts a
     * {@code thoughtSignature} on the first text part and on the first function call, where Gemini 3 puts them: in
     * parallel calls only the first carries one (https://ai.google.dev/gemini-api/docs/thought-signatures).
     */
    static ArrayNode parts(String text, List<Answer.Call> calls, boolean signed) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        if (text != null) {
            ObjectNode part = parts.addObject().put("text", text);
            if (signed) {
                part.put(THOUGHT_SIGNATURE, signature("text"));
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            Answer.Call call = calls.get(i);
            ObjectNode part = parts.addObject();
            part.putObject("functionCall").put("name", call.name()).set("args", call.arguments());
            if (signed && i == 0) {
                part.put(THOUGHT_SIGNATURE, signature(call.name()));
            }
        }
        return parts;
    }

    /** The part field of Gemini 3's signature over its thinking. */
    static final String THOUGHT_SIGNATURE = "thoughtSignature";

    /** Whether the model signs its parts and wants the signatures back: Gemini 3 and later. */
    static boolean signs(String model) {
        return model.startsWith("gemini-3");
    }

    /** A deterministic stand-in for Google's opaque signature, different per part so a misplaced one shows. */
    static String signature(String part) {
        return Base64.getEncoder()
                .encodeToString(("tokenhub-simulator thought before " + part).getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode candidate(int index, Answer answer, ArrayNode parts, boolean last) {
        ObjectNode candidate = Json.object();
        ObjectNode content = candidate.putObject("content");
        content.set("parts", parts);
        content.put("role", "model");
        if (last) {
            candidate.put("finishReason", answer.finishReason(GoogleAnswers::finishReason));
        }
        candidate.put("index", index);
        return candidate;
    }

    /**
     * Usage as Gemini reports it: {@code promptTokenCount} includes cached tokens; streams repeat the prompt count on
     * every chunk and add {@code candidatesTokenCount} on the last one only.
     */
    static ObjectNode usage(Answer.Usage u, boolean complete) {
        ObjectNode usage = Json.object().put("promptTokenCount", u.promptTokens());
        if (complete) {
            usage.put("candidatesTokenCount", u.completionTokens());
        }
        usage.put("totalTokenCount", complete ? u.totalTokens() : u.promptTokens());
        if (u.cachedTokens() > 0) {
            usage.put("cachedContentTokenCount", u.cachedTokens());
        }
        usage.putArray("promptTokensDetails")
                .addObject()
                .put("modality", "TEXT")
                .put("tokenCount", u.promptTokens());
        if (u.cachedTokens() > 0) {
            usage.putArray("cacheTokensDetails")
                    .addObject()
                    .put("modality", "TEXT")
                    .put("tokenCount", u.cachedTokens());
        }
        return usage;
    }

    /** Gemini names no tool-call finish: a function call ends with STOP. */
    static String finishReason(Answer.Finish finish) {
        return switch (finish) {
            case STOP, TOOL_CALLS -> "STOP";
            case LENGTH -> "MAX_TOKENS";
        };
    }

    static void batchEmbed(HttpServerResponse res, Buffer body, String model) {
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            invalidArgument(res, "Invalid JSON payload received. Unexpected token.");
            return;
        }
        JsonNode requests = request.path("requests");
        if (!requests.isArray() || requests.isEmpty()) {
            invalidArgument(res, "* BatchEmbedContentsRequest.requests: requests is not specified\n");
            return;
        }
        if (requests.size() > MAX_BATCH) {
            invalidArgument(
                    res,
                    "* BatchEmbedContentsRequest.requests: at most " + MAX_BATCH + " requests can be in one batch\n");
            return;
        }
        ObjectNode out = Json.object();
        ArrayNode embeddings = out.putArray("embeddings");
        for (JsonNode one : requests) {
            embeddings.addObject().set("values", values(one, model));
        }
        Json.send(res, 200, out);
    }

    static void embed(HttpServerResponse res, Buffer body, String model) {
        ObjectNode request = Json.parseObject(body);
        if (request == null || !request.has("content")) {
            invalidArgument(res, "* EmbedContentRequest.content: content is not specified\n");
            return;
        }
        ObjectNode out = Json.object();
        out.putObject("embedding").set("values", values(request, model));
        Json.send(res, 200, out);
    }

    static ArrayNode values(JsonNode request, String model) {
        int dimensions = request.path("outputDimensionality").canConvertToInt()
                ? request.get("outputDimensionality").asInt()
                : EMBEDDING_DIMENSIONS.getOrDefault(model, 768);
        return Embeddings.json(Embeddings.vector(text(request.path("content").path("parts")), dimensions));
    }

    static void listModels(HttpServerRequest req, HttpServerResponse res) {
        List<String> ids = new ArrayList<>(MODELS.keySet());
        int size;
        int from;
        try {
            size = req.getParam("pageSize") == null ? 50 : Integer.parseInt(req.getParam("pageSize"));
            from = req.getParam("pageToken") == null
                            || req.getParam("pageToken").isEmpty()
                    ? 0
                    : Integer.parseInt(req.getParam("pageToken"));
        } catch (NumberFormatException e) {
            invalidArgument(res, "Invalid page size or page token.");
            return;
        }
        if (size < 1 || from < 0 || from > ids.size()) {
            invalidArgument(res, "Invalid page size or page token.");
            return;
        }
        int to = Math.min(ids.size(), from + size);
        ObjectNode out = Json.object();
        ArrayNode models = out.putArray("models");
        ids.subList(from, to).forEach(id -> models.add(model(id)));
        if (to < ids.size()) {
            out.put("nextPageToken", Integer.toString(to));
        }
        Json.send(res, 200, out);
    }

    static void getModel(HttpServerResponse res, String id) {
        if (MODELS.containsKey(id)) {
            Json.send(res, 200, model(id));
        } else {
            error(
                    res,
                    404,
                    "NOT_FOUND",
                    "models/" + id + " is not found for API version v1beta, or is not "
                            + "supported for generateContent. Call ListModels to see the list of available models and "
                            + "their supported methods.",
                    null);
        }
    }

    static ObjectNode model(String id) {
        ModelInfo info = MODELS.get(id);
        ObjectNode model = Json.object()
                .put("name", "models/" + id)
                .put("version", info.version())
                .put("displayName", info.displayName())
                .put("description", "Simulated " + info.displayName())
                .put("inputTokenLimit", info.inputLimit())
                .put("outputTokenLimit", info.outputLimit());
        ArrayNode methods = model.putArray("supportedGenerationMethods");
        if (info.chat()) {
            methods.add("generateContent").add("countTokens");
            model.put("temperature", 1.0).put("topP", 0.95).put("topK", 40).put("maxTemperature", 2.0);
        } else {
            methods.add("embedContent");
        }
        return model;
    }
}
