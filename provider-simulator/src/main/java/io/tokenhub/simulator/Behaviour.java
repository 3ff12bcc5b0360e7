package io.tokenhub.simulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a simulator answers from now on, set by tests through {@code PUT /__sim/behaviour}.
 *
 * @param errorStatus when non-zero, every call fails with this HTTP status in the provider's error format
 * @param latencyMs delay before the response head is sent (a stall before the first byte)
 * @param chunkDelayMs delay between stream chunks
 * @param failMidStream when true, a stream sends its first content chunk and then a provider error event
 * @param dropConnection when true, the connection is closed without a response
 * @param reply the assistant text returned; null for the default sentence
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Behaviour(
        @JsonProperty("error_status") int errorStatus,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("chunk_delay_ms") long chunkDelayMs,
        @JsonProperty("fail_mid_stream") boolean failMidStream,
        @JsonProperty("drop_connection") boolean dropConnection,
        @JsonProperty("reply") String reply) {

    public static final String DEFAULT_REPLY = "Hello from the TokenHub provider simulator.";

    public static Behaviour normal() {
        return new Behaviour(0, 0, 0, false, false, null);
    }

    public String replyText() {
        return reply == null ? DEFAULT_REPLY : reply;
    }
}
