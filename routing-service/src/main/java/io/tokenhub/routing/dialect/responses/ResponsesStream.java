package io.tokenhub.routing.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.dialect.ClientStream;
import io.tokenhub.routing.translate.ResponseObjects;
import io.tokenhub.routing.usage.UsageCost;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Chat Completions stream as the Responses API's streaming events
 * (https://platform.openai.com/docs/api-reference/responses-streaming), in the order OpenAI sends them:
 * {@code response.created}, {@code response.in_progress}, then per output item {@code response.output_item.added},
 * its deltas ({@code response.content_part.added} and {@code response.output_text.delta} for text,
 * {@code response.function_call_arguments.delta} for a function call), its {@code .done} events and
 * {@code response.output_item.done}, and last {@code response.completed} with the whole response and its usage and
 * cost; or, when the provider fails after the stream began, {@code error} and {@code response.failed}. Every event
 * carries its {@code sequence_number}.
 */
final class ResponsesStream implements ClientStream {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final ObjectNode request;
    private final List<ObjectNode> items = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();
    private int sequence;
    private ObjectNode response;
    private String chatId = "";
    private StringBuilder text;
    private StringBuilder refusal;
    private int messageIndex = -1;
    private String finishReason;
    private JsonNode usage;

    ResponsesStream(ObjectNode request) {
        this.request = request;
    }

    /** One function call being streamed: its output index and the arguments so far. */
    private record Call(int chatIndex, int outputIndex, ObjectNode item, StringBuilder arguments) {}

    @Override
    public void chunk(String payload, Buffer out) {
        JsonNode chunk = read(payload);
        start(chunk, out);
        if (chunk.has("usage") && chunk.get("usage").isObject()) {
            usage = chunk.get("usage");
        }
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String content = delta.path("content").asText("");
            if (!content.isEmpty()) {
                text(content, out);
            }
            String refused = delta.path("refusal").asText("");
            if (!refused.isEmpty()) {
                refusal(refused, out);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCall(call, out);
            }
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.path("finish_reason").asText();
            }
        }
    }

    @Override
    public void done(Buffer out) {
        start(NODES.objectNode(), out);
        closeMessage(out);
        for (Call call : calls) {
            closeCall(call, out);
        }
        ObjectNode done = finalResponse();
        ResponseObjects.finish(done, finishReason);
        if (usage != null) {
            done.set("usage", ResponseObjects.usage(usage));
        }
        event("response.completed", out, e -> e.set("response", done));
    }

    @Override
    public void error(String errorPayload, Buffer out) {
        start(NODES.objectNode(), out);
        JsonNode error = read(errorPayload).path("error");
        event("error", out, e -> {
            e.set("code", error.path("code"));
            e.set("message", error.path("message"));
            e.set("param", error.path("param"));
        });
        ObjectNode failed = finalResponse().put("status", "failed");
        failed.putObject("error")
                .put("code", error.path("code").asText("server_error"))
                .put("message", error.path("message").asText());
        event("response.failed", out, e -> e.set("response", failed));
    }

    /** The opening events, once, from the first chunk's id, time and model. */
    private void start(JsonNode chunk, Buffer out) {
        if (response != null) {
            return;
        }
        chatId = chunk.path("id").asText("");
        response = ResponseObjects.response(
                request,
                ResponsesDialect.id("resp_", chatId),
                chunk.path("created").asLong(System.currentTimeMillis() / 1000),
                chunk.path("model").asText(request.path("model").asText()),
                "in_progress");
        event("response.created", out, e -> e.set("response", response.deepCopy()));
        event("response.in_progress", out, e -> e.set("response", response.deepCopy()));
    }

    private void text(String delta, Buffer out) {
        openMessage(out);
        if (text == null) {
            text = new StringBuilder();
            event("response.content_part.added", out, e -> partEvent(e).set("part", ResponseObjects.outputText("")));
        }
        text.append(delta);
        event("response.output_text.delta", out, e -> {
            partEvent(e).put("delta", delta);
            e.putArray("logprobs");
        });
    }

    private void refusal(String delta, Buffer out) {
        openMessage(out);
        if (refusal == null) {
            refusal = new StringBuilder();
            event(
                    "response.content_part.added",
                    out,
                    e -> partEvent(e).putObject("part").put("type", "refusal").put("refusal", ""));
        }
        refusal.append(delta);
        event("response.refusal.delta", out, e -> partEvent(e).put("delta", delta));
    }

    private void openMessage(Buffer out) {
        if (messageIndex >= 0) {
            return;
        }
        messageIndex = items.size();
        ObjectNode item = ResponseObjects.message(messageId(), "in_progress", null, null);
        items.add(item);
        event(
                "response.output_item.added",
                out,
                e -> e.put("output_index", messageIndex).set("item", item.deepCopy()));
    }

    private ObjectNode partEvent(ObjectNode event) {
        return event.put("item_id", messageId())
                .put("output_index", messageIndex)
                .put("content_index", 0);
    }

    private void closeMessage(Buffer out) {
        if (messageIndex < 0 || items.get(messageIndex).path("status").asText().equals("completed")) {
            return;
        }
        if (text != null) {
            String whole = text.toString();
            event("response.output_text.done", out, e -> {
                partEvent(e).put("text", whole);
                e.putArray("logprobs");
            });
            event("response.content_part.done", out, e -> partEvent(e).set("part", ResponseObjects.outputText(whole)));
        }
        if (refusal != null) {
            String whole = refusal.toString();
            event("response.refusal.done", out, e -> partEvent(e).put("refusal", whole));
            event(
                    "response.content_part.done",
                    out,
                    e -> partEvent(e).putObject("part").put("type", "refusal").put("refusal", whole));
        }
        ObjectNode item = ResponseObjects.message(
                messageId(),
                "completed",
                text == null ? null : text.toString(),
                refusal == null ? null : refusal.toString());
        items.set(messageIndex, item);
        event(
                "response.output_item.done",
                out,
                e -> e.put("output_index", messageIndex).set("item", item.deepCopy()));
    }

    /** A tool call delta: the first names the call and opens its item, later ones carry arguments. */
    private void toolCall(JsonNode delta, Buffer out) {
        int chatIndex = delta.path("index").asInt(0);
        Call call = calls.stream()
                .filter(c -> c.chatIndex() == chatIndex)
                .findFirst()
                .orElse(null);
        if (call == null) {
            closeMessage(out);
            ObjectNode item = ResponseObjects.functionCall(
                    delta.path("id").asText(),
                    "in_progress",
                    delta.path("function").path("name").asText(),
                    "");
            call = new Call(chatIndex, items.size(), item, new StringBuilder());
            calls.add(call);
            items.add(item);
            Call added = call;
            event(
                    "response.output_item.added",
                    out,
                    e -> e.put("output_index", added.outputIndex()).set("item", item.deepCopy()));
        }
        String arguments = delta.path("function").path("arguments").asText("");
        if (!arguments.isEmpty()) {
            call.arguments().append(arguments);
            Call streaming = call;
            event(
                    "response.function_call_arguments.delta",
                    out,
                    e -> e.put("item_id", streaming.item().path("id").asText())
                            .put("output_index", streaming.outputIndex())
                            .put("delta", arguments));
        }
    }

    private void closeCall(Call call, Buffer out) {
        String arguments = call.arguments().toString();
        ObjectNode item = call.item().put("status", "completed").put("arguments", arguments);
        event(
                "response.function_call_arguments.done",
                out,
                e -> e.put("item_id", item.path("id").asText())
                        .put("output_index", call.outputIndex())
                        .put("name", item.path("name").asText())
                        .put("arguments", arguments));
        event(
                "response.output_item.done",
                out,
                e -> e.put("output_index", call.outputIndex()).set("item", item.deepCopy()));
    }

    private ObjectNode finalResponse() {
        ObjectNode done = response.deepCopy();
        ArrayNode output = done.putArray("output");
        items.forEach(item -> output.add(item.deepCopy()));
        return done;
    }

    private String messageId() {
        return ResponsesDialect.id("msg_", chatId);
    }

    private void event(String type, Buffer out, Consumer<ObjectNode> fields) {
        ObjectNode event = NODES.objectNode().put("type", type);
        fields.accept(event);
        event.put("sequence_number", sequence++);
        try {
            out.appendString("event: ")
                    .appendString(type)
                    .appendString("\ndata: ")
                    .appendString(UsageCost.EXACT.writeValueAsString(event))
                    .appendString("\n\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String payload) {
        try {
            return UsageCost.EXACT.readTree(payload);
        } catch (IOException e) {
            // Payloads are TokenHub's own chunks: unreadable means a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }
}
