package io.tokenhub.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the simulated model answers to a {@link Conversation} under a {@link Behaviour}, before any provider renders it
 * in its wire format. Deterministic, so tests can predict text, tool calls and usage:
 * <ul>
 * <li>with {@code tool_calls} set, the model calls those tools (text only when {@code reply} is also set), unless the
 * last turn already carries tool results;</li>
 * <li>otherwise the text is {@code reply}; without one, {@code "The tool returned: <results>"} after tool results, a
 * schema-shaped JSON object when JSON output is requested, else {@link Behaviour#DEFAULT_REPLY};</li>
 * <li>text longer than the request's max tokens is cut at that many tokens and finishes with "length".</li>
 * </ul>
 *
 * @param text the assistant text, or null when the model only calls tools
 * @param toolCalls the tool calls, in order
 * @param finish why the model stopped
 * @param finishOverride the provider-native finish reason a test forced, or null
 * @param usage token usage, summed over all choices
 */
public record Answer(String text, List<Call> toolCalls, Finish finish, String finishOverride, Usage usage) {

    public static final String TOOL_RESULT_PREFIX = "The tool returned: ";

    /** Why the model stopped, before each provider names it in its own vocabulary. */
    public enum Finish {
        STOP,
        LENGTH,
        TOOL_CALLS
    }

    /**
     * One tool call.
     *
     * @param name function name
     * @param arguments the arguments object
     */
    public record Call(String name, JsonNode arguments) {

        public String argumentsJson() {
            return arguments.toString();
        }
    }

    /**
     * Token usage in neutral terms; each provider reports it with its own semantics.
     *
     * @param promptTokens every prompt token, cached or not
     * @param completionTokens output tokens
     * @param cachedTokens prompt tokens read from the cache (a subset of {@code promptTokens})
     * @param cacheCreationTokens prompt tokens written to the cache (a subset of {@code promptTokens})
     * @param cacheCreation1hTokens the part of {@code cacheCreationTokens} written for one hour; the rest is written
     *     for five minutes (Anthropic's two lifetimes)
     */
    public record Usage(
            int promptTokens,
            int completionTokens,
            int cachedTokens,
            int cacheCreationTokens,
            int cacheCreation1hTokens) {

        public int totalTokens() {
            return promptTokens + completionTokens;
        }

        /** Prompt tokens neither read from nor written to the cache: Anthropic's {@code input_tokens}. */
        public int uncachedPromptTokens() {
            return promptTokens - cachedTokens - cacheCreationTokens;
        }
    }

    public static Answer of(Conversation conversation, Behaviour behaviour) {
        boolean callTools = !behaviour.toolCalls().isEmpty() && conversation.toolResults() == null;
        Finish finish = callTools ? Finish.TOOL_CALLS : Finish.STOP;
        String text = callTools ? behaviour.reply() : text(conversation, behaviour);
        Integer max = conversation.maxTokens();
        if (!callTools && max != null && TokenCounter.count(text) > max) {
            text = text.substring(0, Math.min(text.length(), max * 4));
            finish = Finish.LENGTH;
        }
        List<Call> calls = new ArrayList<>();
        int completion = TokenCounter.count(text);
        if (callTools) {
            for (Behaviour.ToolCall call : behaviour.toolCalls()) {
                calls.add(new Call(call.name(), call.arguments()));
                completion += TokenCounter.count(call.name()) + TokenCounter.count(call.argumentsJson());
            }
        }
        int prompt = conversation.promptTokens();
        int cached = Math.min(behaviour.cachedTokens(), prompt);
        int created = Math.min(behaviour.cacheCreationTokens(), prompt - cached);
        Usage usage = new Usage(prompt, completion * conversation.choices(), cached, created, 0);
        return new Answer(text, List.copyOf(calls), finish, behaviour.finishReason(), usage);
    }

    /** The same answer with the prompt's cache reads and writes replaced. */
    public Answer withCache(int cachedTokens, int cacheCreationTokens, int cacheCreation1hTokens) {
        return new Answer(
                text,
                toolCalls,
                finish,
                finishOverride,
                new Usage(
                        usage.promptTokens(),
                        usage.completionTokens(),
                        cachedTokens,
                        cacheCreationTokens,
                        cacheCreation1hTokens));
    }

    private static String text(Conversation conversation, Behaviour behaviour) {
        if (behaviour.reply() != null) {
            return behaviour.reply();
        }
        String plain = conversation.toolResults() != null
                ? TOOL_RESULT_PREFIX + conversation.toolResults()
                : Behaviour.DEFAULT_REPLY;
        return conversation.json()
                ? JsonSample.of(conversation.jsonSchema(), plain).toString()
                : plain;
    }

    /** The finish reason in a provider's vocabulary: the forced one, else {@code names} applied to the natural one. */
    public String finishReason(Function<Finish, String> names) {
        return finishOverride != null ? finishOverride : names.apply(finish);
    }

    /** Word-sized pieces of the text, each keeping its leading space, the way real streams split text. */
    public List<String> textPieces() {
        return pieces(text == null ? "" : text);
    }

    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    /** Fragments of a tool call's JSON arguments, as providers that stream arguments incrementally send them. */
    public static List<String> argumentFragments(String json) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < json.length(); i += 8) {
            out.add(json.substring(i, Math.min(json.length(), i + 8)));
        }
        return out;
    }
}
