package io.tokenhub.simulator.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SseStream;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * OpenAI's two streaming formats. Its Chat Completions dialect (https://platform.openai.com/docs/api-reference/chat),
 * the hooks on the shared renderer behind both its {@code chat.completion} and its chunk stream: {@code chatcmpl-} and
 * {@code call_} ids (the defaults), refusal/annotations/logprobs/service_tier/system_fingerprint, {@code obfuscation}
 * padding, tool arguments in fragments, a usage chunk with {@code choices: []} only on
 * {@code stream_options.include_usage}. And the Responses stream
 * (https://platform.openai.com/docs/api-reference/responses-streaming): named events, each with its
 * {@code sequence_number}, no {@code [DONE]}.
 */
final class OpenAiStreams extends ChatCompletionsWire {

    @Override
    protected boolean openAiExtensions() {
        return true;
    }

    @Override
    protected void usageDetails(ObjectNode usage, Answer.Usage u) {
        usage.putObject("prompt_tokens_details")
                .put("cached_tokens", u.cachedTokens())
                .put("audio_tokens", 0);
        usage.putObject("completion_tokens_details")
                .put("reasoning_tokens", 0)
                .put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0)
                .put("rejected_prediction_tokens", 0);
    }

    /**
     * Streams {@code answer} as the Responses API does: {@code response.created}, {@code response.in_progress}; for
     * the text a message item ({@code output_item.added}, {@code content_part.added}, one
     * {@code output_text.delta} per word, {@code output_text.done}, {@code content_part.done},
     * {@code output_item.done}); for each tool call a function_call item with its
     * {@code function_call_arguments.delta} fragments and {@code .done}; last {@code response.completed} (or
     * {@code response.incomplete}) with the whole response and its usage.
     */
    void responsesStream(HttpServerRequest req, ObjectNode request, Answer answer, String model, Behaviour behaviour) {
        Events events = new Events();
        String suffix = Ids.hex(48);
        long created = System.currentTimeMillis() / 1000;
        String id = "resp_" + suffix;
        ObjectNode opening = OpenAiAnswers.response(request, id, created, model, "in_progress", null, answer);
        events.add("response.created", e -> e.set("response", opening));
        events.add("response.in_progress", e -> e.set("response", opening));
        ArrayNode output = Json.MAPPER.createArrayNode();
        if (answer.text() != null) {
            int index = output.size();
            String itemId = "msg_" + suffix;
            events.add(
                    "response.output_item.added",
                    e -> e.put("output_index", index)
                            .set("item", OpenAiAnswers.messageItem(itemId, "in_progress", null)));
            events.add(
                    "response.content_part.added",
                    e -> part(e, itemId, index).set("part", OpenAiAnswers.outputText("")));
            for (String piece : answer.textPieces()) {
                events.content("response.output_text.delta", e -> {
                    part(e, itemId, index).put("delta", piece);
                    e.putArray("logprobs");
                });
            }
            events.add("response.output_text.done", e -> {
                part(e, itemId, index).put("text", answer.text());
                e.putArray("logprobs");
            });
            events.add(
                    "response.content_part.done",
                    e -> part(e, itemId, index).set("part", OpenAiAnswers.outputText(answer.text())));
            ObjectNode done = OpenAiAnswers.messageItem(itemId, "completed", answer.text());
            events.add(
                    "response.output_item.done",
                    e -> e.put("output_index", index).set("item", done));
            output.add(done);
        }
        for (Answer.Call call : answer.toolCalls()) {
            int index = output.size();
            String itemId = "fc_" + Ids.hex(48);
            String callId = "call_" + Ids.alphanumeric(24);
            events.content(
                    "response.output_item.added",
                    e -> e.put("output_index", index)
                            .set("item", OpenAiAnswers.functionCallItem(itemId, callId, "in_progress", call, "")));
            for (String fragment : Answer.argumentFragments(call.argumentsJson())) {
                events.add(
                        "response.function_call_arguments.delta",
                        e -> e.put("item_id", itemId).put("output_index", index).put("delta", fragment));
            }
            events.add(
                    "response.function_call_arguments.done",
                    e -> e.put("item_id", itemId).put("output_index", index).put("arguments", call.argumentsJson()));
            ObjectNode done = OpenAiAnswers.functionCallItem(itemId, callId, "completed", call, call.argumentsJson());
            events.add(
                    "response.output_item.done",
                    e -> e.put("output_index", index).set("item", done));
            output.add(done);
        }
        String status = OpenAiAnswers.responseStatus(answer);
        ObjectNode last = OpenAiAnswers.response(request, id, created, model, status, output, answer);
        events.add("response." + status, e -> e.set("response", last));
        req.response()
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        events.stream.send(req, behaviour, OpenAiFailures.responsesStreamError(events.afterFirstContent));
    }

    private static ObjectNode part(ObjectNode event, String itemId, int outputIndex) {
        return event.put("item_id", itemId).put("output_index", outputIndex).put("content_index", 0);
    }

    /** The events of one Responses stream, numbered in order. */
    private static final class Events {
        private final SseStream stream = new SseStream();
        private int sequence;
        /** The number an event right after the first content event gets: a mid-stream fault's error event. */
        private int afterFirstContent = -1;

        void add(String type, Consumer<ObjectNode> fields) {
            stream.add(frame(type, fields));
        }

        /** An event carrying model output, where a mid-stream fault strikes. */
        void content(String type, Consumer<ObjectNode> fields) {
            stream.content(frame(type, fields));
            if (afterFirstContent < 0) {
                afterFirstContent = sequence;
            }
        }

        private String frame(String type, Consumer<ObjectNode> fields) {
            ObjectNode event = Json.object().put("type", type);
            fields.accept(event);
            event.put("sequence_number", sequence++);
            return SseStream.event(type, event.toString());
        }
    }
}
