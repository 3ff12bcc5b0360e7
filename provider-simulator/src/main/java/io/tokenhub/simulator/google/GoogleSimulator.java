package io.tokenhub.simulator.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Embeddings;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.SseStream;
import io.tokenhub.simulator.TokenCounter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Google's Gemini API, Generative Language v1beta (https://ai.google.dev/api), base URL
 * {@code https://generativelanguage.googleapis.com}: {@code POST /v1beta/models/{model}:generateContent},
 * {@code :streamGenerateContent} ({@code ?alt=sse} for SSE with CRLF framing and no terminator, else one JSON array),
 * {@code :batchEmbedContents}, {@code :embedContent}, and {@code GET /v1beta/models[/{model}]}. Auth by
 * {@code x-goog-api-key} (or {@code ?key=}). Every chunk of a stream is a whole {@code GenerateContentResponse};
 * only the last has {@code finishReason} and {@code candidatesTokenCount}. A function call finishes with {@code STOP}
 * and carries no id, as the real API does. Errors are {@code {"error": {code, message, status, details}}}; a 429
 * puts its retry delay in a {@code google.rpc.RetryInfo} detail, not in a header.
 */
public class GoogleSimulator implements SimulatedProvider {

    private static final String MODELS_PATH = "/v1beta/models";

    /** GenerateContentRequest's fields in REST (camelCase) form, as the SDK sends them. */
    private static final Set<String> REQUEST_FIELDS = Set.of(
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

    private static final Set<String> GENERATION_CONFIG_FIELDS = Set.of(
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

    /** Chat models: version the API reports, input and output token limits (https://ai.google.dev/gemini-api/docs/models). */
    private static final Map<String, ModelInfo> MODELS = new LinkedHashMap<>();

    private static final Map<String, Integer> EMBEDDING_DIMENSIONS = Map.of(
            "text-embedding-004", 768,
            "gemini-embedding-001", 3072);

    private static final int MAX_BATCH = 100;

    private record ModelInfo(String version, String displayName, int inputLimit, int outputLimit, boolean chat) {}

    static {
        MODELS.put("gemini-1.5-pro", new ModelInfo("gemini-1.5-pro-002", "Gemini 1.5 Pro", 2_000_000, 8192, true));
        MODELS.put(
                "gemini-1.5-flash", new ModelInfo("gemini-1.5-flash-002", "Gemini 1.5 Flash", 1_000_000, 8192, true));
        MODELS.put("gemini-2.0-flash", new ModelInfo("gemini-2.0-flash", "Gemini 2.0 Flash", 1_048_576, 8192, true));
        MODELS.put("text-embedding-004", new ModelInfo("004", "Text Embedding 004", 2048, 1, false));
        MODELS.put("gemini-embedding-001", new ModelInfo("001", "Gemini Embedding 001", 2048, 1, false));
    }

    @Override
    public String name() {
        return "google";
    }

    @Override
    public String basePath() {
        return "";
    }

    @Override
    public void handle(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        String key = req.getHeader("x-goog-api-key");
        if ((key == null || key.isBlank()) && req.getParam("key") == null) {
            error(
                    res,
                    403,
                    "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without "
                            + "established identity). Please use API Key or other form of API consumer identity to call "
                            + "this API.",
                    null);
            return;
        }
        if (behaviour.errorStatus() != 0) {
            failWith(res, behaviour, req.path());
            return;
        }
        String method = req.method().name();
        String path = req.path();
        if (method.equals("GET") && path.equals(MODELS_PATH)) {
            listModels(req, res);
            return;
        }
        if (!path.startsWith(MODELS_PATH + "/")) {
            notFound(res, path);
            return;
        }
        String resource = path.substring(MODELS_PATH.length() + 1);
        int colon = resource.lastIndexOf(':');
        String model = colon < 0 ? resource : resource.substring(0, colon);
        String action = colon < 0 ? "" : resource.substring(colon + 1);
        switch (method + " " + action) {
            case "GET " -> getModel(res, model);
            case "POST generateContent" -> generate(req, body, behaviour, model, false);
            case "POST streamGenerateContent" -> generate(req, body, behaviour, model, true);
            case "POST batchEmbedContents" -> batchEmbed(res, body, model);
            case "POST embedContent" -> embed(res, body, model);
            default -> notFound(res, path);
        }
    }

    private void generate(HttpServerRequest req, Buffer body, Behaviour behaviour, String model, boolean stream) {
        HttpServerResponse res = req.response();
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            invalidArgument(res, "Invalid JSON payload received. Unexpected token.");
            return;
        }
        String problem = problem(request);
        if (problem != null) {
            invalidArgument(res, problem);
            return;
        }
        Conversation conversation = conversation(request, model);
        Answer answer = Answer.of(conversation, behaviour);
        String version = MODELS.containsKey(model) ? MODELS.get(model).version() : model;
        String responseId = Ids.alphanumeric(23);
        if (!stream) {
            ObjectNode out = Json.object();
            ArrayNode candidates = out.putArray("candidates");
            for (int i = 0; i < conversation.choices(); i++) {
                candidates.add(candidate(i, answer, parts(answer.text(), answer.toolCalls()), true));
            }
            out.set("usageMetadata", usage(answer.usage(), true));
            out.put("modelVersion", version).put("responseId", responseId);
            Json.send(res, 200, out);
            return;
        }
        stream(req, behaviour, conversation, answer, version, responseId);
    }

    /** The first reason the real API would refuse the body with INVALID_ARGUMENT, or null. */
    static String problem(ObjectNode request) {
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
        return null;
    }

    private static String unknownField(JsonNode object, Set<String> allowed, String at) {
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

    private static int count(JsonNode parts, String kind) {
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
    private static String text(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            text.append(part.has("text") ? part.get("text").asText() : part.toString());
        }
        return text.toString();
    }

    private static ArrayNode parts(String text, List<Answer.Call> calls) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        if (text != null) {
            parts.addObject().put("text", text);
        }
        for (Answer.Call call : calls) {
            ObjectNode functionCall =
                    parts.addObject().putObject("functionCall").put("name", call.name());
            functionCall.set("args", call.arguments());
        }
        return parts;
    }

    private static ObjectNode candidate(int index, Answer answer, ArrayNode parts, boolean last) {
        ObjectNode candidate = Json.object();
        ObjectNode content = candidate.putObject("content");
        content.set("parts", parts);
        content.put("role", "model");
        if (last) {
            candidate.put("finishReason", answer.finishReason(GoogleSimulator::finishReason));
        }
        candidate.put("index", index);
        return candidate;
    }

    /**
     * Usage as Gemini reports it: {@code promptTokenCount} includes cached tokens; streams repeat the prompt count on
     * every chunk and add {@code candidatesTokenCount} on the last one only.
     */
    private static ObjectNode usage(Answer.Usage u, boolean complete) {
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

    private static void stream(
            HttpServerRequest req,
            Behaviour behaviour,
            Conversation conversation,
            Answer answer,
            String version,
            String responseId) {
        boolean sse = "sse".equals(req.getParam("alt"));
        List<ObjectNode> chunks = new ArrayList<>();
        for (int c = 0; c < conversation.choices(); c++) {
            List<String> pieces = answer.textPieces();
            boolean hasCalls = !answer.toolCalls().isEmpty();
            for (int p = 0; p < pieces.size(); p++) {
                boolean last = p == pieces.size() - 1 && !hasCalls;
                chunks.add(chunk(c, answer, parts(pieces.get(p), List.of()), last));
            }
            if (hasCalls || pieces.isEmpty()) {
                chunks.add(chunk(c, answer, parts(hasCalls ? null : "", answer.toolCalls()), true));
            }
        }
        SseStream stream = new SseStream();
        for (int i = 0; i < chunks.size(); i++) {
            ObjectNode chunk = chunks.get(i);
            chunk.set("usageMetadata", usage(answer.usage(), i == chunks.size() - 1));
            chunk.put("modelVersion", version).put("responseId", responseId);
            String frame = sse ? "data: " + chunk + "\r\n\r\n" : (i == 0 ? "[" : ",\r\n") + chunk;
            stream.content(frame);
        }
        if (!sse) {
            stream.add("]");
        }
        ObjectNode error = Json.object();
        error.putObject("error")
                .put("code", 503)
                .put("message", "The model is overloaded. Please try again later.")
                .put("status", "UNAVAILABLE");
        String errorFrame = sse ? "data: " + error + "\r\n\r\n" : ",\r\n" + error + "]";
        req.response().putHeader("content-type", sse ? "text/event-stream" : "application/json; charset=UTF-8");
        stream.send(req, behaviour, errorFrame);
    }

    private static ObjectNode chunk(int candidateIndex, Answer answer, ArrayNode parts, boolean last) {
        ObjectNode chunk = Json.object();
        chunk.putArray("candidates").add(candidate(candidateIndex, answer, parts, last));
        return chunk;
    }

    /** Gemini names no tool-call finish: a function call ends with STOP. */
    private static String finishReason(Answer.Finish finish) {
        return switch (finish) {
            case STOP, TOOL_CALLS -> "STOP";
            case LENGTH -> "MAX_TOKENS";
        };
    }

    private static void batchEmbed(HttpServerResponse res, Buffer body, String model) {
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

    private static void embed(HttpServerResponse res, Buffer body, String model) {
        ObjectNode request = Json.parseObject(body);
        if (request == null || !request.has("content")) {
            invalidArgument(res, "* EmbedContentRequest.content: content is not specified\n");
            return;
        }
        ObjectNode out = Json.object();
        out.putObject("embedding").set("values", values(request, model));
        Json.send(res, 200, out);
    }

    private static ArrayNode values(JsonNode request, String model) {
        int dimensions = request.path("outputDimensionality").canConvertToInt()
                ? request.get("outputDimensionality").asInt()
                : EMBEDDING_DIMENSIONS.getOrDefault(model, 768);
        return Embeddings.json(Embeddings.vector(text(request.path("content").path("parts")), dimensions));
    }

    private static void listModels(HttpServerRequest req, HttpServerResponse res) {
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

    private static void getModel(HttpServerResponse res, String id) {
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

    private static ObjectNode model(String id) {
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

    /** Google's canonical bodies per status (https://ai.google.dev/gemini-api/docs/troubleshooting). */
    private static void failWith(HttpServerResponse res, Behaviour behaviour, String path) {
        int status = behaviour.errorStatus();
        switch (status) {
            case 400 -> invalidArgument(res, "Request contains an invalid argument.");
            case 401 -> error(res, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", null);
            case 403 -> error(res, 403, "PERMISSION_DENIED", "The caller does not have permission", null);
            case 404 -> notFound(res, path);
            case 429 -> {
                ArrayNode details = Json.MAPPER.createArrayNode();
                details.addObject()
                        .put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
                        .putArray("violations")
                        .addObject()
                        .put("quotaMetric", "generativelanguage.googleapis.com/generate_content_requests")
                        .put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel");
                if (behaviour.retryAfter() > 0) {
                    details.addObject()
                            .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                            .put("retryDelay", behaviour.retryAfter() + "s");
                }
                error(
                        res,
                        429,
                        "RESOURCE_EXHAUSTED",
                        "You exceeded your current quota, please check your plan " + "and billing details.",
                        details);
            }
            case 500 ->
                error(
                        res,
                        500,
                        "INTERNAL",
                        "An internal error has occurred. Please retry or report in "
                                + "https://developers.generativeai.google/guide/troubleshooting",
                        null);
            case 503 -> error(res, 503, "UNAVAILABLE", "The model is overloaded. Please try again later.", null);
            case 504 -> error(res, 504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.", null);
            default -> {
                if (status < 500) {
                    error(res, status, "FAILED_PRECONDITION", "Precondition check failed.", null);
                } else {
                    error(res, status, "INTERNAL", "An internal error has occurred.", null);
                }
            }
        }
    }

    private static void notFound(HttpServerResponse res, String path) {
        error(res, 404, "NOT_FOUND", "Requested entity was not found. (" + path + ")", null);
    }

    private static void invalidArgument(HttpServerResponse res, String message) {
        ArrayNode details = null;
        if (message.startsWith("Invalid JSON payload received.")) {
            details = Json.MAPPER.createArrayNode();
            details.addObject()
                    .put("@type", "type.googleapis.com/google.rpc.BadRequest")
                    .putArray("fieldViolations")
                    .addObject()
                    .put("description", message);
        }
        error(res, 400, "INVALID_ARGUMENT", message, details);
    }

    private static void error(HttpServerResponse res, int status, String code, String message, ArrayNode details) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error")
                .put("code", status)
                .put("message", message)
                .put("status", code);
        if (details != null) {
            error.set("details", details);
        }
        res.putHeader("content-type", "application/json; charset=UTF-8");
        res.setStatusCode(status).end(body.toString());
    }
}
