package io.tokenhub.simulator.chatcompletions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SseStream;
import io.tokenhub.simulator.TokenCounter;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Chat Completions format that OpenAI defined and Mistral and Meta's Llama API (OpenAI-compatible endpoint)
 * follow, with each one's differences in {@link Dialect}: reads a request into a {@link Conversation} and renders an
 * {@link Answer} as a {@code chat.completion} or as a {@code chat.completion.chunk} SSE stream ending in
 * {@code data: [DONE]}.
 */
public final class ChatCompletionsWire {

    /** How the three APIs differ on the wire. */
    public enum Dialect {
        /**
         * https://platform.openai.com/docs/api-reference/chat: {@code chatcmpl-} ids, {@code call_} tool ids,
         * refusal/annotations/logprobs/service_tier/system_fingerprint, {@code obfuscation} padding on chunks, tool
         * arguments streamed in fragments, usage chunk with {@code choices: []} only on
         * {@code stream_options.include_usage}.
         */
        OPENAI,
        /**
         * https://docs.mistral.ai/api/#tag/chat: 32-hex ids, 9-character tool ids, each tool call whole in one delta
         * without index or type, usage always in the finish chunk (Mistral refuses {@code stream_options}).
         */
        MISTRAL,
        /**
         * https://llama.developer.meta.com/docs/features/compatibility/: OpenAI's shapes without OpenAI's
         * extensions; usage only on {@code stream_options.include_usage}, like OpenAI.
         */
        LLAMA
    }

    private static final String FINGERPRINT = "fp_7fcd609668";

    private final Dialect dialect;

    public ChatCompletionsWire(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Reads an already validated request: {@code model} and a non-empty {@code messages} array are present. */
    public static Conversation conversation(ObjectNode request) {
        JsonNode messages = request.get("messages");
        List<String> texts = new ArrayList<>(messages.size() + 1);
        for (JsonNode message : messages) {
            StringBuilder text = new StringBuilder(contentText(message.get("content")));
            if (message.path("tool_calls").isArray()) {
                text.append(message.get("tool_calls"));
            }
            texts.add(text.toString());
        }
        JsonNode format = request.path("response_format");
        String formatType = format.path("type").asText("text");
        boolean json = formatType.equals("json_object") || formatType.equals("json_schema");
        JsonNode schema =
                formatType.equals("json_schema") ? format.path("json_schema").get("schema") : null;
        JsonNode max = request.hasNonNull("max_completion_tokens")
                ? request.get("max_completion_tokens")
                : request.get("max_tokens");
        Integer maxTokens = max != null && max.canConvertToInt() ? max.intValue() : null;
        int n = request.path("n").canConvertToInt()
                ? Math.max(1, request.get("n").intValue())
                : 1;
        return new Conversation(
                request.get("model").asText(),
                TokenCounter.prompt(texts),
                trailingToolResults(messages),
                json,
                schema,
                maxTokens,
                n);
    }

    /** Text parts joined; any other part (image, audio, file) as its JSON, so it still costs prompt tokens. */
    private static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(
                    "text".equals(part.path("type").asText())
                            ? part.path("text").asText()
                            : part.toString());
        }
        return text.toString();
    }

    private static String trailingToolResults(JsonNode messages) {
        int first = messages.size();
        while (first > 0 && "tool".equals(messages.get(first - 1).path("role").asText())) {
            first--;
        }
        if (first == messages.size()) {
            return null;
        }
        List<String> results = new ArrayList<>();
        for (int i = first; i < messages.size(); i++) {
            results.add(contentText(messages.get(i).get("content")));
        }
        return String.join("\n", results);
    }

    /**
     * Where tool calls and tool results do not pair up: a {@code tool} message whose {@code tool_call_id} no earlier
     * assistant turn issued, or an assistant turn whose calls are not all answered before the next non-tool message.
     *
     * @param messageIndex the offending message
     * @param orphanResult true for a tool result without its call, false for calls without results
     * @param ids the tool call ids concerned
     */
    public record ToolPairingProblem(int messageIndex, boolean orphanResult, List<String> ids) {}

    /** The first tool pairing problem in {@code messages}, or null. */
    public static ToolPairingProblem toolPairingProblem(JsonNode messages) {
        Set<String> open = new LinkedHashSet<>();
        Set<String> issued = new HashSet<>();
        int callingTurn = -1;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText();
            if (role.equals("tool")) {
                String id = message.path("tool_call_id").asText();
                if (!issued.contains(id)) {
                    return new ToolPairingProblem(i, true, List.of(id));
                }
                open.remove(id);
                continue;
            }
            if (!open.isEmpty()) {
                return new ToolPairingProblem(callingTurn, false, List.copyOf(open));
            }
            if (role.equals("assistant") && message.path("tool_calls").isArray()) {
                callingTurn = i;
                for (JsonNode call : message.get("tool_calls")) {
                    open.add(call.path("id").asText());
                    issued.add(call.path("id").asText());
                }
            }
        }
        return null;
    }

    /** Sends the answer as one {@code chat.completion} object. */
    public void complete(HttpServerResponse response, Conversation conversation, Answer answer, String model) {
        ObjectNode out = Json.object()
                .put("id", completionId())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
        ArrayNode choices = out.putArray("choices");
        for (int i = 0; i < conversation.choices(); i++) {
            ObjectNode choice = choices.addObject().put("index", i);
            choice.set("message", message(answer));
            if (dialect == Dialect.OPENAI) {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", answer.finishReason(ChatCompletionsWire::finishName));
        }
        out.set("usage", usage(answer.usage()));
        if (dialect == Dialect.OPENAI) {
            out.put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
        }
        Json.send(response, 200, out);
    }

    private ObjectNode message(Answer answer) {
        ObjectNode message = Json.object().put("role", "assistant");
        if (dialect == Dialect.MISTRAL) {
            // Recorded Mistral replies: "tool_calls": null beside text, and no content key beside tool calls.
            if (answer.toolCalls().isEmpty()) {
                message.putNull("tool_calls");
            } else {
                message.set("tool_calls", toolCalls(answer));
            }
            if (answer.text() != null || answer.toolCalls().isEmpty()) {
                message.put("content", answer.text() == null ? "" : answer.text());
            }
            return message;
        }
        message.put("content", answer.text());
        if (dialect == Dialect.OPENAI) {
            message.putNull("refusal");
            message.putArray("annotations");
        }
        if (!answer.toolCalls().isEmpty()) {
            message.set("tool_calls", toolCalls(answer));
        }
        return message;
    }

    private ArrayNode toolCalls(Answer answer) {
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (Answer.Call call : answer.toolCalls()) {
            ObjectNode c = calls.addObject().put("id", toolCallId());
            if (dialect != Dialect.MISTRAL) {
                c.put("type", "function");
            }
            c.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
        }
        return calls;
    }

    /**
     * Streams the answer as {@code chat.completion.chunk} events.
     *
     * @param request the client's request, for {@code stream_options}
     * @param errorEvent the dialect's in-stream error payload, sent when the behaviour fails mid-stream
     */
    public void stream(
            HttpServerRequest req,
            ObjectNode request,
            Conversation conversation,
            Answer answer,
            String model,
            Behaviour behaviour,
            String errorEvent) {
        JsonNode options = request.path("stream_options");
        boolean usageChunk =
                dialect != Dialect.MISTRAL && options.path("include_usage").asBoolean(false);
        boolean obfuscate =
                dialect == Dialect.OPENAI && options.path("include_obfuscation").asBoolean(true);
        Chunks chunks = new Chunks(completionId(), System.currentTimeMillis() / 1000, model, usageChunk, obfuscate);
        SseStream stream = new SseStream();
        String finish = answer.finishReason(ChatCompletionsWire::finishName);
        for (int i = 0; i < conversation.choices(); i++) {
            ObjectNode role = Json.object().put("role", "assistant");
            role.put("content", answer.text() == null && dialect == Dialect.OPENAI ? null : "");
            if (dialect == Dialect.OPENAI) {
                role.putNull("refusal");
            }
            stream.add(chunks.choice(i, role, null, null));
            for (String piece : answer.textPieces()) {
                stream.content(chunks.choice(i, Json.object().put("content", piece), null, null));
            }
            if (dialect == Dialect.MISTRAL) {
                mistralFinish(stream, chunks, i, answer, finish);
                continue;
            }
            int index = 0;
            for (Answer.Call call : answer.toolCalls()) {
                ObjectNode head = Json.object();
                ObjectNode tool = head.putArray("tool_calls")
                        .addObject()
                        .put("index", index)
                        .put("id", toolCallId())
                        .put("type", "function");
                tool.putObject("function").put("name", call.name()).put("arguments", "");
                stream.content(chunks.choice(i, head, null, null));
                for (String fragment : Answer.argumentFragments(call.argumentsJson())) {
                    ObjectNode delta = Json.object();
                    delta.putArray("tool_calls")
                            .addObject()
                            .put("index", index)
                            .putObject("function")
                            .put("arguments", fragment);
                    stream.content(chunks.choice(i, delta, null, null));
                }
                index++;
            }
            stream.add(chunks.choice(i, Json.object(), finish, null));
        }
        if (usageChunk) {
            stream.add(chunks.usageOnly(usage(answer.usage())));
        }
        stream.add(SseStream.data("[DONE]"));
        req.response()
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        stream.send(req, behaviour, SseStream.data(errorEvent));
    }

    /** Mistral: the finish chunk carries usage, and tool calls arrive whole in it. */
    private void mistralFinish(SseStream stream, Chunks chunks, int choice, Answer answer, String finish) {
        ObjectNode delta = Json.object();
        if (answer.toolCalls().isEmpty()) {
            delta.put("content", "");
            stream.add(chunks.choice(choice, delta, finish, usage(answer.usage())));
        } else {
            delta.putNull("content");
            delta.set("tool_calls", toolCalls(answer));
            stream.content(chunks.choice(choice, delta, finish, usage(answer.usage())));
        }
    }

    /** Builds the chunk objects of one stream: same id, created and model on each. */
    private final class Chunks {
        private final String id;
        private final long created;
        private final String model;
        private final boolean usageChunk;
        private final boolean obfuscate;

        Chunks(String id, long created, String model, boolean usageChunk, boolean obfuscate) {
            this.id = id;
            this.created = created;
            this.model = model;
            this.usageChunk = usageChunk;
            this.obfuscate = obfuscate;
        }

        String choice(int index, ObjectNode delta, String finishReason, ObjectNode usage) {
            ObjectNode chunk = head();
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
            choice.set("delta", delta);
            if (dialect == Dialect.OPENAI) {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", finishReason);
            if (usage != null) {
                chunk.set("usage", usage);
            } else if (usageChunk) {
                chunk.putNull("usage");
            }
            if (obfuscate) {
                chunk.put(
                        "obfuscation",
                        Ids.alphanumeric(1 + Math.floorMod(delta.toString().length() * 7, 12)));
            }
            return SseStream.data(chunk.toString());
        }

        String usageOnly(ObjectNode usage) {
            ObjectNode chunk = head();
            chunk.putArray("choices");
            chunk.set("usage", usage);
            return SseStream.data(chunk.toString());
        }

        private ObjectNode head() {
            ObjectNode chunk = Json.object()
                    .put("id", id)
                    .put("object", "chat.completion.chunk")
                    .put("created", created)
                    .put("model", model);
            if (dialect == Dialect.OPENAI) {
                chunk.put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
            }
            return chunk;
        }
    }

    private ObjectNode usage(Answer.Usage u) {
        ObjectNode usage = Json.object()
                .put("prompt_tokens", u.promptTokens())
                .put("completion_tokens", u.completionTokens())
                .put("total_tokens", u.totalTokens());
        switch (dialect) {
            case OPENAI -> {
                usage.putObject("prompt_tokens_details")
                        .put("cached_tokens", u.cachedTokens())
                        .put("audio_tokens", 0);
                usage.putObject("completion_tokens_details")
                        .put("reasoning_tokens", 0)
                        .put("audio_tokens", 0)
                        .put("accepted_prediction_tokens", 0)
                        .put("rejected_prediction_tokens", 0);
            }
            case MISTRAL -> usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
            case LLAMA -> {
                // The compatibility endpoint reports no cache usage.
            }
        }
        return usage;
    }

    private static String finishName(Answer.Finish finish) {
        return switch (finish) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
        };
    }

    private String completionId() {
        return dialect == Dialect.MISTRAL ? Ids.hex(32) : "chatcmpl-" + Ids.alphanumeric(29);
    }

    private String toolCallId() {
        return dialect == Dialect.MISTRAL ? Ids.alphanumeric(9) : "call_" + Ids.alphanumeric(24);
    }

    /** An error in OpenAI's shape, {@code {"error": {message, type, param, code}}}, which Llama's endpoint shares. */
    public static void error(
            HttpServerResponse response, int status, String message, String type, String param, String code) {
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code);
        Json.send(response, status, body);
    }

    /** The in-stream error event OpenAI sends after a 200 head, which the OpenAI SDKs raise as an APIError. */
    public static String streamError() {
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("message", "The server had an error while processing your request. Sorry about " + "that!")
                .put("type", "server_error")
                .putNull("param")
                .putNull("code");
        return body.toString();
    }

    /**
     * The failure bodies OpenAI sends for each status (https://platform.openai.com/docs/guides/error-codes), with
     * {@code retry-after} on 429 and 503 as the behaviour says.
     */
    public static void failWith(HttpServerResponse response, Behaviour behaviour) {
        int status = behaviour.errorStatus();
        if ((status == 429 || status == 503) && behaviour.retryAfter() > 0) {
            response.putHeader("retry-after", Integer.toString(behaviour.retryAfter()));
        }
        switch (status) {
            case 400 -> error(response, 400, "Invalid request.", "invalid_request_error", null, null);
            case 401 ->
                error(
                        response,
                        401,
                        "Incorrect API key provided. You can find your API key at "
                                + "https://platform.openai.com/account/api-keys.",
                        "invalid_request_error",
                        null,
                        "invalid_api_key");
            case 403 ->
                error(
                        response,
                        403,
                        "Country, region, or territory not supported",
                        "request_forbidden",
                        null,
                        "unsupported_country_region_territory");
            case 404 ->
                error(
                        response,
                        404,
                        "The model does not exist or you do not have access to it.",
                        "invalid_request_error",
                        null,
                        "model_not_found");
            case 429 -> {
                response.putHeader("x-ratelimit-limit-requests", "10000")
                        .putHeader("x-ratelimit-remaining-requests", "0")
                        .putHeader("x-ratelimit-reset-requests", behaviour.retryAfter() + "s");
                error(
                        response,
                        429,
                        "Rate limit reached for requests per min (RPM): Limit 10000, Used 10000, "
                                + "Requested 1. Please try again in " + behaviour.retryAfter() + "s.",
                        "requests",
                        null,
                        "rate_limit_exceeded");
            }
            case 503 ->
                error(
                        response,
                        503,
                        "The engine is currently overloaded, please try again later.",
                        "server_error",
                        null,
                        null);
            default -> {
                if (status < 500) {
                    error(response, status, "Invalid request.", "invalid_request_error", null, null);
                } else {
                    error(
                            response,
                            status,
                            "The server had an error while processing your request. Sorry about " + "that!",
                            "server_error",
                            null,
                            null);
                }
            }
        }
    }
}
