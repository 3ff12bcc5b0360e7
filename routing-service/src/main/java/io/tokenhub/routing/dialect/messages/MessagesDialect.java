package io.tokenhub.routing.dialect.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.http.AnthropicErrorBody;
import io.tokenhub.routing.dialect.ClientDialect;
import io.tokenhub.routing.dialect.ClientExchange;
import io.tokenhub.routing.dialect.ClientStream;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.openai.RequestParser;
import io.tokenhub.routing.usage.UsageCost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Anthropic's Messages API (https://docs.claude.com/en/api/messages), for every model: a request is translated to
 * Chat Completions ({@link MessagesRequests}), which the adapters translate on (Claude's back to Anthropic's own
 * format), and the chat answer back to an Anthropic {@code message} or to Anthropic's stream events
 * ({@link MessagesStream}). Errors take Anthropic's shape ({@link AnthropicErrorBody}).
 */
public final class MessagesDialect implements ClientDialect {

    /** {@code POST /v1/messages}. */
    public static final MessagesDialect INSTANCE = new MessagesDialect(false);

    /**
     * {@code POST /v1/messages/count_tokens}: the request without what only shapes the answer ({@code max_tokens},
     * sampling, streaming), read to count its prompt; it is never sent to a provider.
     */
    public static final MessagesDialect COUNT_TOKENS = new MessagesDialect(true);

    private final boolean counting;

    private MessagesDialect(boolean counting) {
        this.counting = counting;
    }

    @Override
    public ClientExchange read(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = RequestParser.readTree(json, body);
        } catch (IOException e) {
            throw new InvalidRequestException(
                    OpenAiError.invalidRequest("There was an error parsing the body: it is not valid JSON.", null));
        }
        if (!(root instanceof ObjectNode request)) {
            throw new InvalidRequestException(
                    OpenAiError.invalidRequest("The request body must be a JSON object.", null));
        }
        ChatRequest chat =
                ChatRequest.of(counting ? MessagesRequests.toCountedChat(request) : MessagesRequests.toChat(request));
        return new Exchange(chat);
    }

    @Override
    public String errorBody(OpenAiError error) {
        return AnthropicErrorBody.json(error.status(), error.message(), null);
    }

    /** The answer of {@code count_tokens}. */
    public static byte[] tokenCount(long inputTokens) {
        return ("{\"input_tokens\":" + inputTokens + "}").getBytes(StandardCharsets.UTF_8);
    }

    private record Exchange(ChatRequest chat) implements ClientExchange {

        @Override
        public byte[] answer(byte[] completion) {
            try {
                JsonNode chat = UsageCost.EXACT.readTree(completion);
                ObjectNode message = MessageObjects.message(
                        MessageObjects.id(chat.path("id").asText()),
                        chat.path("model").asText());
                JsonNode choice = chat.path("choices").path(0);
                JsonNode answer = choice.path("message");
                ArrayNode content = (ArrayNode) message.get("content");
                // Thinking first, as Claude orders it; only Claude's answers have any (Gemini's signatures are no
                // block).
                for (JsonNode detail : answer.path(ReasoningDetails.FIELD)) {
                    if (MessageObjects.isClaudes(detail)) {
                        content.add(MessageObjects.reasoningBlock(detail));
                    }
                }
                String text = answer.path("content").asText("");
                if (text.isEmpty()) {
                    text = answer.path("refusal").asText("");
                }
                if (!text.isEmpty()) {
                    content.add(MessageObjects.textBlock(text));
                }
                for (JsonNode call : answer.path("tool_calls")) {
                    JsonNode function = call.path("function");
                    content.add(MessageObjects.toolUse(
                            call.path("id").asText(),
                            function.path("name").asText(),
                            MessageObjects.input(function.path("arguments").asText())));
                }
                message.put(
                        "stop_reason",
                        MessageObjects.stopReason(choice.path("finish_reason").asText(null)));
                message.set("usage", MessageObjects.usage(chat.path("usage")));
                return UsageCost.EXACT.writeValueAsBytes(message);
            } catch (IOException e) {
                // The chat completion is TokenHub's own: unreadable means a bug, not bad input.
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ClientStream stream() {
            return new MessagesStream(chat.model());
        }
    }
}
