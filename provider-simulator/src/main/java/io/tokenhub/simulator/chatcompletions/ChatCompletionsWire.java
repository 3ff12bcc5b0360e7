package io.tokenhub.simulator.chatcompletions;

import static io.tokenhub.simulator.chatcompletions.ChatCompletionsRequests.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SseStream;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The Chat Completions format that OpenAI defined and Mistral and Meta's Llama API (OpenAI-compatible endpoint)
 * follow: renders an {@link Answer} as a {@code chat.completion} or as a {@code chat.completion.chunk} SSE stream
 * ending in {@code data: [DONE]}. Each provider's differences are subclass hooks (the extension style of every
 * simulator, as routing's OpenAI-compatible adapter base): the defaults are the plain shape Meta's endpoint speaks,
 * OpenAI adds its extensions, Mistral its ids, message shape and whole tool calls.
 */
public abstract class ChatCompletionsWire {

    private static final String FINGERPRINT = "fp_7fcd609668";

    /**
     * OpenAI's extensions (https://platform.openai.com/docs/api-reference/chat): refusal, annotations, logprobs,
     * service_tier, system_fingerprint, {@code obfuscation} padding on chunks, a null content beside tool calls.
     */
    protected boolean openAiExtensions() {
        return false;
    }

    /** Whether tool calls carry {@code "type": "function"} (Mistral's do not). */
    protected boolean typedToolCalls() {
        return true;
    }

    /** Whether the stream ends with a usage-only chunk: OpenAI and Meta on {@code stream_options.include_usage}. */
    protected boolean usageChunk(JsonNode streamOptions) {
        return streamOptions.path("include_usage").asBoolean(false);
    }

    /** Adds the dialect's usage details to the three token counts; the plain shape has none. */
    protected void usageDetails(ObjectNode usage, Answer.Usage u) {}

    /** The completion id, shared by every chunk of a stream. */
    protected String completionId() {
        return "chatcmpl-" + Ids.alphanumeric(29);
    }

    /** One tool call's id. */
    protected String toolCallId() {
        return "call_" + Ids.alphanumeric(24);
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
            if (openAiExtensions()) {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", answer.finishReason(ChatCompletionsWire::finishName));
        }
        out.set("usage", usage(answer.usage()));
        if (openAiExtensions()) {
            out.put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
        }
        Json.send(response, 200, out);
    }

    /** The choice's assistant message. */
    protected ObjectNode message(Answer answer) {
        ObjectNode message = Json.object().put("role", "assistant");
        message.put("content", answer.text());
        if (openAiExtensions()) {
            message.putNull("refusal");
            message.putArray("annotations");
        }
        if (!answer.toolCalls().isEmpty()) {
            message.set("tool_calls", toolCalls(answer));
        }
        return message;
    }

    /** The answer's tool calls as a {@code tool_calls} array. */
    protected final ArrayNode toolCalls(Answer answer) {
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (Answer.Call call : answer.toolCalls()) {
            ObjectNode c = calls.addObject().put("id", toolCallId());
            if (typedToolCalls()) {
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
        boolean usageChunk = usageChunk(options);
        boolean obfuscate =
                openAiExtensions() && options.path("include_obfuscation").asBoolean(true);
        Chunks chunks = new Chunks(completionId(), System.currentTimeMillis() / 1000, model, usageChunk, obfuscate);
        SseStream stream = new SseStream();
        String finish = answer.finishReason(ChatCompletionsWire::finishName);
        for (int i = 0; i < conversation.choices(); i++) {
            ObjectNode role = Json.object().put("role", "assistant");
            role.put("content", answer.text() == null && openAiExtensions() ? null : "");
            if (openAiExtensions()) {
                role.putNull("refusal");
            }
            stream.add(chunks.choice(i, role, null, null));
            for (String piece : answer.textPieces()) {
                stream.content(chunks.choice(i, Json.object().put("content", piece), null, null));
            }
            toolCallsAndFinish(stream, chunks, i, answer, finish);
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

    /**
     * Streams one choice's tool calls and its finish chunk: by default each call as a head delta ({@code index},
     * {@code id}, {@code type}, {@code name}, empty {@code arguments}) followed by argument fragments.
     */
    protected void toolCallsAndFinish(SseStream stream, Chunks chunks, int i, Answer answer, String finish) {
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

    /** Builds the chunk objects of one stream: same id, created and model on each. */
    protected final class Chunks {
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

        public String choice(int index, ObjectNode delta, String finishReason, ObjectNode usage) {
            ObjectNode chunk = head();
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
            choice.set("delta", delta);
            if (openAiExtensions()) {
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
            if (openAiExtensions()) {
                chunk.put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
            }
            return chunk;
        }
    }

    /** The answer's usage object. */
    protected final ObjectNode usage(Answer.Usage u) {
        ObjectNode usage = Json.object()
                .put("prompt_tokens", u.promptTokens())
                .put("completion_tokens", u.completionTokens())
                .put("total_tokens", u.totalTokens());
        usageDetails(usage, u);
        return usage;
    }

    static String finishName(Answer.Finish finish) {
        return switch (finish) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
        };
    }

    /** A {@code model} object of a models list, the shape OpenAI and Meta's compatible endpoint share. */
    public static ObjectNode model(String id, long created, String ownedBy) {
        return Json.object()
                .put("id", id)
                .put("object", "model")
                .put("created", created)
                .put("owned_by", ownedBy);
    }
}
