package io.tokenhub.routing.translate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.ReasoningDetails;

/**
 * Builds the {@code chat.completion.chunk} payloads of one translated stream
 * (https://platform.openai.com/docs/api-reference/chat-streaming): the same id, created and model on every chunk, a
 * {@code "usage": null} on each only when the client asked for the usage chunk (as OpenAI does), and that usage chunk
 * with {@code choices: []}.
 */
public final class ChunkWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final boolean includeUsage;
    private long created;
    private String id;
    private String model;
    private long answerChars;

    public ChunkWriter(long created, boolean includeUsage) {
        this.created = created;
        this.includeUsage = includeUsage;
    }

    /** Takes the provider's own timestamp where it sends one, before the first chunk is written. */
    public void created(long providerCreated) {
        if (providerCreated > 0) {
            this.created = providerCreated;
        }
    }

    /** Sets the id and model from the first provider event that names them; later calls keep the first values. */
    public void identify(String id, String model) {
        if (this.id == null && id != null && !id.isEmpty()) {
            this.id = id;
        }
        if (this.model == null && model != null && !model.isEmpty()) {
            this.model = model;
        }
    }

    /** The first chunk of a choice: the assistant role with empty content, as OpenAI opens every choice. */
    public String role(int choice) {
        return delta(choice, NODES.objectNode().put("role", "assistant").put("content", ""), null);
    }

    public String content(int choice, String text) {
        answerChars += text.length();
        return delta(choice, NODES.objectNode().put("content", text), null);
    }

    /** A piece of the model's refusal, which OpenAI streams apart from the content. */
    public String refusal(int choice, String text) {
        answerChars += text.length();
        return delta(choice, NODES.objectNode().put("refusal", text), null);
    }

    /**
     * A piece of the model's reasoning: its text (empty for a signature or redacted thinking) as
     * {@code reasoning_content}, and {@code detail} as the one entry of {@code reasoning_details}. The text counts as
     * answer: the provider bills thinking as output.
     */
    public String reasoning(int choice, String text, ObjectNode detail) {
        answerChars += text.length();
        ObjectNode delta = NODES.objectNode();
        if (!text.isEmpty()) {
            delta.put(ReasoningDetails.TEXT_FIELD, text);
        }
        delta.putArray(ReasoningDetails.FIELD).add(detail);
        return delta(choice, delta, null);
    }

    /** A tool call's first chunk: index, id, type and name, with the first arguments (or all of them). */
    public String toolCall(int choice, int index, String callId, String name, String arguments) {
        answerChars += name.length() + arguments.length();
        ObjectNode delta = NODES.objectNode();
        ObjectNode call = delta.putArray("tool_calls")
                .addObject()
                .put("index", index)
                .put("id", callId)
                .put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return delta(choice, delta, null);
    }

    /** A further fragment of a tool call's arguments, to append to what came before for that index. */
    public String toolArguments(int choice, int index, String fragment) {
        answerChars += fragment.length();
        ObjectNode delta = NODES.objectNode();
        delta.putArray("tool_calls")
                .addObject()
                .put("index", index)
                .putObject("function")
                .put("arguments", fragment);
        return delta(choice, delta, null);
    }

    public String finish(int choice, FinishReason reason) {
        return delta(choice, NODES.objectNode(), reason);
    }

    /** Characters of answer text, reasoning text, tool names and tool arguments written so far, over all choices. */
    public long answerChars() {
        return answerChars;
    }

    /** The usage chunk: no choices, the whole usage. */
    public String usage(ObjectNode usage) {
        ObjectNode chunk = head();
        chunk.putArray("choices");
        chunk.set("usage", usage);
        return chunk.toString();
    }

    private String delta(int choice, ObjectNode delta, FinishReason finish) {
        ObjectNode chunk = head();
        ObjectNode c = chunk.putArray("choices").addObject().put("index", choice);
        c.set("delta", delta);
        c.putNull("logprobs");
        c.put("finish_reason", finish == null ? null : finish.wireName());
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk.toString();
    }

    private ObjectNode head() {
        return NODES.objectNode()
                .put("id", id)
                .put("object", "chat.completion.chunk")
                .put("created", created)
                .put("model", model);
    }
}
