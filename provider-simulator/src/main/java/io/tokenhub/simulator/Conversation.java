package io.tokenhub.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the simulated model needs from a request, whatever the provider's wire format: read by each simulator from its
 * own request body, then turned into an {@link Answer}.
 *
 * @param model the model the request names
 * @param promptTokens prompt size by {@link TokenCounter#prompt}
 * @param toolResults the text of the tool results when the conversation's last turn carries them, else null
 * @param json whether the request asks for JSON output (OpenAI {@code response_format}, Anthropic
 *        {@code output_config.format}, Gemini {@code responseMimeType})
 * @param jsonSchema the JSON Schema the output must follow, or null
 * @param maxTokens the request's output cap, or null when it sets none
 * @param choices how many alternative answers the request asks for ({@code n}, {@code candidateCount})
 */
public record Conversation(
        String model,
        int promptTokens,
        String toolResults,
        boolean json,
        JsonNode jsonSchema,
        Integer maxTokens,
        int choices) {

    public Conversation {
        if (choices < 1) {
            throw new IllegalArgumentException("choices must be at least 1");
        }
    }
}
