package io.tokenhub.simulator.anthropic;

import static io.tokenhub.simulator.anthropic.AnthropicAnswers.hasText;
import static io.tokenhub.simulator.anthropic.AnthropicAnswers.message;
import static io.tokenhub.simulator.anthropic.AnthropicAnswers.messageId;
import static io.tokenhub.simulator.anthropic.AnthropicAnswers.toolUseId;
import static io.tokenhub.simulator.anthropic.AnthropicAnswers.usage;
import static io.tokenhub.simulator.anthropic.AnthropicFailures.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SseStream;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/** Anthropic's named-event SSE stream of a {@code message}. */
final class AnthropicStreams {

    private AnthropicStreams() {}

    /** The stream of a message; with {@code thinking}, its thinking block first, signature last. */
    static void stream(HttpServerRequest req, String model, Answer answer, Behaviour behaviour, boolean thinking) {
        SseStream stream = new SseStream();
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode message = start.putObject("message")
                .put("model", model)
                .put("id", messageId())
                .put("type", "message")
                .put("role", "assistant");
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(answer.usage(), 1, true));
        stream.add(SseStream.event("message_start", start.toString()));
        String ping = SseStream.event("ping", "{\"type\": \"ping\"}");
        int index = 0;
        if (thinking) {
            ObjectNode blockStart = blockStart(index);
            blockStart
                    .putObject("content_block")
                    .put("type", "thinking")
                    .put("thinking", "")
                    .put("signature", "");
            stream.add(SseStream.event("content_block_start", blockStart.toString()));
            for (String piece : AnthropicThinking.pieces()) {
                ObjectNode delta = blockDelta(index);
                delta.putObject("delta").put("type", "thinking_delta").put("thinking", piece);
                stream.content(SseStream.event("content_block_delta", delta.toString()));
            }
            ObjectNode signature = blockDelta(index);
            signature.putObject("delta").put("type", "signature_delta").put("signature", AnthropicThinking.SIGNATURE);
            stream.add(SseStream.event("content_block_delta", signature.toString()));
            stream.add(SseStream.event("content_block_stop", blockStop(index)));
            index++;
        }
        if (hasText(answer)) {
            ObjectNode blockStart = blockStart(index);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            stream.add(SseStream.event("content_block_start", blockStart.toString()))
                    .add(ping);
            for (String piece : answer.textPieces()) {
                ObjectNode delta = blockDelta(index);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                stream.content(SseStream.event("content_block_delta", delta.toString()));
            }
            stream.add(SseStream.event("content_block_stop", blockStop(index)));
            index++;
        } else {
            stream.add(ping);
        }
        for (Answer.Call call : answer.toolCalls()) {
            ObjectNode blockStart = blockStart(index);
            ObjectNode block = blockStart
                    .putObject("content_block")
                    .put("type", "tool_use")
                    .put("id", toolUseId())
                    .put("name", call.name());
            block.putObject("input");
            stream.add(SseStream.event("content_block_start", blockStart.toString()));
            List<String> fragments = new ArrayList<>();
            // Recorded streams open every tool input with an empty fragment.
            fragments.add("");
            fragments.addAll(Answer.argumentFragments(call.argumentsJson()));
            for (String fragment : fragments) {
                ObjectNode delta = blockDelta(index);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
                stream.content(SseStream.event("content_block_delta", delta.toString()));
            }
            stream.add(SseStream.event("content_block_stop", blockStop(index)));
            index++;
        }
        ObjectNode end = Json.object().put("type", "message_delta");
        end.putObject("delta")
                .put("stop_reason", answer.finishReason(AnthropicAnswers::stopReason))
                .putNull("stop_sequence");
        end.set("usage", usage(answer.usage(), answer.usage().completionTokens(), false));
        stream.add(SseStream.event("message_delta", end.toString()));
        stream.add(SseStream.event("message_stop", "{\"type\":\"message_stop\"}"));
        req.response()
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        ObjectNode error = Json.object().put("type", "error");
        error.putObject("error").put("type", "overloaded_error").put("message", "Overloaded");
        stream.send(req, behaviour, SseStream.event("error", error.toString()));
    }

    static ObjectNode blockStart(int index) {
        return Json.object().put("type", "content_block_start").put("index", index);
    }

    static ObjectNode blockDelta(int index) {
        return Json.object().put("type", "content_block_delta").put("index", index);
    }

    static String blockStop(int index) {
        return Json.object()
                .put("type", "content_block_stop")
                .put("index", index)
                .toString();
    }
}
