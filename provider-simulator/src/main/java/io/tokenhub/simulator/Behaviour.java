package io.tokenhub.simulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * How a simulator answers, set by tests through {@code PUT /__sim/behaviour}, the {@code x-sim-behaviour} request
 * header or {@link SimulatorServer#behave(String, Behaviour)}. The JSON form uses the snake_case names below; unknown
 * names are rejected so a typo never silently means "normal".
 *
 * @param errorStatus when non-zero (400-599), the call fails before any byte of the body with this HTTP status in the
 *        provider's own error format
 * @param latencyMs delay before the response head is sent (a stall before the first byte)
 * @param chunkDelayMs delay between stream events
 * @param failMidStream when true, a stream sends its first content event, then the provider's in-stream error event
 * @param dropConnection when true, the TCP connection is closed without any response (after {@code latencyMs})
 * @param dropMidStream when true, a stream sends its first content event, then the TCP connection is closed without
 *        the stream's terminator
 * @param reply the assistant text; null for the default (see {@link #DEFAULT_REPLY})
 * @param toolCalls when not empty, the model calls these tools (in parallel when more than one) instead of answering
 *        in text, unless the conversation's last turn already carries tool results
 * @param finishReason overrides the natural finish reason, in the provider's own vocabulary (for example
 *        {@code max_tokens} or {@code refusal} for Anthropic, {@code SAFETY} for Google, {@code model_length} for
 *        Mistral)
 * @param cachedTokens prompt tokens reported as read from the provider's prompt cache (capped at the prompt size)
 * @param cacheCreationTokens prompt tokens reported as written to the cache; only Anthropic reports this
 * @param retryAfterSeconds the retry hint on errors, where the provider sends one: a {@code retry-after} header on
 *        OpenAI's and Meta's 429 and 503 and on Anthropic's 429, {@code google.rpc.RetryInfo.retryDelay} in the body
 *        of Google's 429; Mistral sends none. Null for the default of 2 s, 0 for no hint
 * @param times how many requests this behaviour applies to before the simulator returns to normal; 0 for "until
 *        changed". Ignored for the per-request header.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Behaviour(
        @JsonProperty("error_status") int errorStatus,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("chunk_delay_ms") long chunkDelayMs,
        @JsonProperty("fail_mid_stream") boolean failMidStream,
        @JsonProperty("drop_connection") boolean dropConnection,
        @JsonProperty("drop_mid_stream") boolean dropMidStream,
        @JsonProperty("reply") String reply,
        @JsonProperty("tool_calls") List<ToolCall> toolCalls,
        @JsonProperty("finish_reason") String finishReason,
        @JsonProperty("cached_tokens") int cachedTokens,
        @JsonProperty("cache_creation_tokens") int cacheCreationTokens,
        @JsonProperty("retry_after_seconds") Integer retryAfterSeconds,
        @JsonProperty("times") int times) {

    public static final String DEFAULT_REPLY = "Hello from the TokenHub provider simulator.";

    private static final int DEFAULT_RETRY_AFTER_SECONDS = 2;

    public Behaviour {
        if (errorStatus != 0 && (errorStatus < 400 || errorStatus > 599)) {
            throw new IllegalArgumentException("error_status must be 0 or 400-599, was " + errorStatus);
        }
        requireNotNegative("latency_ms", latencyMs);
        requireNotNegative("chunk_delay_ms", chunkDelayMs);
        requireNotNegative("cached_tokens", cachedTokens);
        requireNotNegative("cache_creation_tokens", cacheCreationTokens);
        requireNotNegative("times", times);
        if (retryAfterSeconds != null) {
            requireNotNegative("retry_after_seconds", retryAfterSeconds);
        }
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    public static Behaviour normal() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.errorStatus = errorStatus;
        b.latencyMs = latencyMs;
        b.chunkDelayMs = chunkDelayMs;
        b.failMidStream = failMidStream;
        b.dropConnection = dropConnection;
        b.dropMidStream = dropMidStream;
        b.reply = reply;
        b.toolCalls.addAll(toolCalls);
        b.finishReason = finishReason;
        b.cachedTokens = cachedTokens;
        b.cacheCreationTokens = cacheCreationTokens;
        b.retryAfterSeconds = retryAfterSeconds;
        b.times = times;
        return b;
    }

    /** The retry hint in whole seconds; 0 means the error carries none. */
    public int retryAfter() {
        return retryAfterSeconds == null ? DEFAULT_RETRY_AFTER_SECONDS : retryAfterSeconds;
    }

    /**
     * One tool the simulated model calls.
     *
     * @param name the function name
     * @param arguments the arguments as a JSON object; null means {@code {}}
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record ToolCall(
            @JsonProperty("name") String name,
            @JsonProperty("arguments") JsonNode arguments) {

        public ToolCall {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a tool call needs a name");
            }
            if (arguments == null || arguments.isNull()) {
                arguments = JsonNodeFactory.instance.objectNode();
            }
            if (!arguments.isObject()) {
                throw new IllegalArgumentException("tool call arguments must be a JSON object");
            }
        }

        /** The arguments as compact JSON text, the form OpenAI-style APIs put on the wire. */
        public String argumentsJson() {
            return arguments.toString();
        }
    }

    /** Fluent construction for Java tests; every field starts at "normal". */
    public static final class Builder {
        private int errorStatus;
        private long latencyMs;
        private long chunkDelayMs;
        private boolean failMidStream;
        private boolean dropConnection;
        private boolean dropMidStream;
        private String reply;
        private final List<ToolCall> toolCalls = new ArrayList<>();
        private String finishReason;
        private int cachedTokens;
        private int cacheCreationTokens;
        private Integer retryAfterSeconds;
        private int times;

        private Builder() {}

        public Builder errorStatus(int status) {
            this.errorStatus = status;
            return this;
        }

        public Builder latencyMs(long millis) {
            this.latencyMs = millis;
            return this;
        }

        public Builder chunkDelayMs(long millis) {
            this.chunkDelayMs = millis;
            return this;
        }

        public Builder failMidStream() {
            this.failMidStream = true;
            return this;
        }

        public Builder dropConnection() {
            this.dropConnection = true;
            return this;
        }

        public Builder dropMidStream() {
            this.dropMidStream = true;
            return this;
        }

        public Builder reply(String text) {
            this.reply = text;
            return this;
        }

        public Builder toolCall(String name, JsonNode arguments) {
            this.toolCalls.add(new ToolCall(name, arguments));
            return this;
        }

        public Builder finishReason(String nativeReason) {
            this.finishReason = nativeReason;
            return this;
        }

        public Builder cachedTokens(int tokens) {
            this.cachedTokens = tokens;
            return this;
        }

        public Builder cacheCreationTokens(int tokens) {
            this.cacheCreationTokens = tokens;
            return this;
        }

        public Builder retryAfterSeconds(int seconds) {
            this.retryAfterSeconds = seconds;
            return this;
        }

        public Builder times(int count) {
            this.times = count;
            return this;
        }

        public Behaviour build() {
            return new Behaviour(
                    errorStatus,
                    latencyMs,
                    chunkDelayMs,
                    failMidStream,
                    dropConnection,
                    dropMidStream,
                    reply,
                    toolCalls,
                    finishReason,
                    cachedTokens,
                    cacheCreationTokens,
                    retryAfterSeconds,
                    times);
        }
    }
}
