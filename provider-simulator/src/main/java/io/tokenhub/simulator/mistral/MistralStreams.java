package io.tokenhub.simulator.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SseStream;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;

/**
 * Mistral's Chat Completions dialect (https://docs.mistral.ai/api/#tag/chat), the hooks on the shared renderer behind
 * both its {@code chat.completion} and its chunk stream: 32-hex ids, 9-character tool ids, tool calls without
 * {@code type}, each tool call whole in the finish chunk, usage always in the finish chunk (Mistral refuses
 * {@code stream_options}).
 */
final class MistralStreams extends ChatCompletionsWire {

    @Override
    protected boolean typedToolCalls() {
        return false;
    }

    @Override
    protected boolean usageChunk(JsonNode streamOptions) {
        return false;
    }

    @Override
    protected void usageDetails(ObjectNode usage, Answer.Usage u) {
        usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
    }

    @Override
    protected String completionId() {
        return Ids.hex(32);
    }

    @Override
    protected String toolCallId() {
        return Ids.alphanumeric(9);
    }

    /** Recorded Mistral replies: {@code "tool_calls": null} beside text, and no content key beside tool calls. */
    @Override
    protected ObjectNode message(Answer answer) {
        ObjectNode message = Json.object().put("role", "assistant");
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

    /** The finish chunk carries usage, and tool calls arrive whole in it. */
    @Override
    protected void toolCallsAndFinish(SseStream stream, Chunks chunks, int choice, Answer answer, String finish) {
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
}
