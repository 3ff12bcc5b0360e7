package io.tokenhub.routing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * An OpenAI Chat Completions request (https://platform.openai.com/docs/api-reference/chat/create) read into what the
 * non-OpenAI adapters translate ({@link ChatSpecReader} reads and checks it the way the OpenAI API checks it, so a client gets the same 400 whichever
 * provider answers. Three kinds of fields: those every adapter translates (below); those no translation can honour
 * without changing the shape of the answer the client relies on (logprobs, audio output, the deprecated functions
 * API), refused here with a 400 naming the provider; and sampling or bookkeeping hints a provider has no equivalent
 * for, which each adapter drops and the routing-service README lists.
 *
 * @param messages the conversation, in order
 * @param tools function tools the model may call
 * @param toolChoice the client's tool_choice, null when absent
 * @param responseFormat text (the default), json_object or json_schema
 * @param maxTokens {@code max_completion_tokens}, else the deprecated {@code max_tokens}; null when neither
 * @param stop stop sequences (a single string becomes a list of one)
 * @param temperature 0-2 in OpenAI's range, null when absent
 * @param topP 0-1, null when absent
 * @param n choices wanted, 1 by default
 * @param seed null when absent
 * @param user the end-user id, null when absent
 * @param parallelToolCalls null when absent (OpenAI's default is true)
 * @param presencePenalty null when absent
 * @param frequencyPenalty null when absent
 */
public record ChatSpec(
        List<Message> messages,
        List<FunctionTool> tools,
        ToolChoice toolChoice,
        ResponseFormat responseFormat,
        Integer maxTokens,
        List<String> stop,
        Double temperature,
        Double topP,
        int n,
        Long seed,
        String user,
        Boolean parallelToolCalls,
        Double presencePenalty,
        Double frequencyPenalty) {

    /** A message of the conversation. */
    public sealed interface Message permits SystemMessage, UserMessage, AssistantMessage, ToolMessage {}

    /**
     * A {@code system} or {@code developer} message: instructions, text only, in the client's parts so a prompt-cache
     * breakpoint stays on the part it marks (a string content is one part).
     */
    public record SystemMessage(List<Text> parts) implements Message {

        /** The parts' text joined, for providers that take one string. */
        public String text() {
            StringBuilder text = new StringBuilder();
            parts.forEach(p -> text.append(p.text()));
            return text.toString();
        }
    }

    /** A {@code user} message: text and images in the client's order. */
    public record UserMessage(List<Part> parts) implements Message {

        /**
         * The text when the message is a single unmarked text part, which most providers also take as a plain string.
         */
        public String plainText() {
            return parts.size() == 1 && parts.get(0) instanceof Text t && t.cacheControl() == null ? t.text() : null;
        }
    }

    /**
     * An {@code assistant} turn from the history: its text (null when none), the tools it called, and the reasoning it
     * showed ({@link ReasoningDetails}, in order; Claude takes back its thinking, Gemini its thought signatures, every
     * other adapter leaves it out).
     */
    public record AssistantMessage(String text, List<ToolCall> toolCalls, List<Reasoning> reasoning)
            implements Message {}

    /** Reasoning of an earlier answer, handed back to the provider that made it. */
    public sealed interface Reasoning permits Thinking, RedactedThinking, ThoughtSignature {}

    /** Thinking text with the provider's signature over it, null when the client sent none. */
    public record Thinking(String text, String signature) implements Reasoning {}

    /** Thinking the provider encrypted: its opaque data. */
    public record RedactedThinking(String data) implements Reasoning {}

    /**
     * Gemini's opaque signature over the thinking before a part of its answer: the id of the tool call that part made,
     * null for a text part (or when the client dropped the id).
     */
    public record ThoughtSignature(String signature, String toolCallId) implements Reasoning {}

    /** A {@code tool} message: the result of one tool call, as text. */
    public record ToolMessage(String toolCallId, String text) implements Message {}

    /** A part of a user message. */
    public sealed interface Part permits Text, Image {

        /** The prompt-cache breakpoint on this part, null when none. */
        CacheControl cacheControl();

        /** This part with {@code mark} as its breakpoint. */
        Part marked(CacheControl mark);
    }

    /**
     * @param text the text
     * @param cacheControl the prompt-cache breakpoint on it, null when none
     */
    public record Text(String text, CacheControl cacheControl) implements Part {

        @Override
        public Text marked(CacheControl mark) {
            return new Text(text, mark);
        }
    }

    /**
     * @param url an https URL or a {@code data:} URL
     * @param detail OpenAI's detail hint, null when absent
     * @param param where it sits in the request, for error messages
     * @param cacheControl the prompt-cache breakpoint on it, null when none
     */
    public record Image(String url, String detail, String param, CacheControl cacheControl) implements Part {

        @Override
        public Image marked(CacheControl mark) {
            return new Image(url, detail, param, mark);
        }
    }

    /**
     * A prompt-cache breakpoint ({@code cache_control}): the prompt up to and including what carries it is cached
     * (Anthropic's prompt caching; see {@link CacheControls}).
     *
     * @param ttl {@code 5m} or {@code 1h}; null for the provider's default, 5 minutes at Anthropic
     */
    public record CacheControl(String ttl) {

        /** The lifetimes Anthropic offers. */
        public static final Set<String> TTLS = Set.of("5m", "1h");
    }

    /**
     * A tool call of an earlier assistant turn.
     *
     * @param id the id the client got with the call
     * @param name the function called
     * @param arguments the arguments as the JSON text OpenAI carries
     * @param param where it sits in the request, for error messages
     */
    public record ToolCall(String id, String name, String arguments, String param) {

        /** The arguments as the JSON object providers with structured arguments need; empty text is no arguments. */
        public ObjectNode argumentsObject(ObjectMapper json) {
            if (arguments == null || arguments.isBlank()) {
                return json.createObjectNode();
            }
            try {
                JsonNode parsed = json.readTree(arguments);
                if (parsed instanceof ObjectNode object) {
                    return object;
                }
            } catch (IOException e) {
                // Reported below with the same message as a non-object value.
            }
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "The arguments of a tool call must be a JSON object.", param + ".function.arguments"));
        }
    }

    /**
     * A function tool.
     *
     * @param name its name
     * @param description null when absent
     * @param parameters its JSON Schema, null when absent
     * @param strict OpenAI's strict flag, null when absent
     * @param cacheControl the prompt-cache breakpoint on it, null when none
     */
    public record FunctionTool(
            String name, String description, ObjectNode parameters, Boolean strict, CacheControl cacheControl) {}

    /** {@code tool_choice}: a mode, with the function name when one function is forced. */
    public record ToolChoice(Mode mode, String function) {

        public enum Mode {
            AUTO,
            NONE,
            REQUIRED,
            FUNCTION
        }

        /** Whether the answer must be a tool call. */
        public boolean forcesCall() {
            return mode == Mode.REQUIRED || mode == Mode.FUNCTION;
        }
    }

    /** {@code response_format}. For json_schema: the schema's name, description, schema and strict flag. */
    public record ResponseFormat(Kind kind, String name, String description, ObjectNode schema, Boolean strict) {

        public static final ResponseFormat TEXT = new ResponseFormat(Kind.TEXT, null, null, null, null);

        public enum Kind {
            TEXT,
            JSON_OBJECT,
            JSON_SCHEMA
        }

        public boolean json() {
            return kind != Kind.TEXT;
        }
    }

    /** The user messages hold at least one image. */
    public boolean hasImages() {
        return messages.stream()
                .anyMatch(m -> m instanceof UserMessage u && u.parts().stream().anyMatch(Image.class::isInstance));
    }

    /** The answer TokenHub must produce is a tool call; a JSON response format then only shapes the arguments. */
    public boolean forcesToolCall() {
        return toolChoice != null && toolChoice.forcesCall();
    }
}
