package io.tokenhub.routing.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.dialect.ClientDialect;
import io.tokenhub.routing.dialect.ClientExchange;
import io.tokenhub.routing.dialect.ClientStream;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.openai.RequestParser;
import io.tokenhub.routing.translate.ResponseObjects;
import io.tokenhub.routing.usage.UsageCost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * OpenAI's Responses API (https://platform.openai.com/docs/api-reference/responses), stateless: a request is
 * translated to Chat Completions ({@link ResponsesRequests}), and the chat answer back to a {@code response} object or
 * to the Responses stream events ({@link ResponsesStream}). Errors keep OpenAI's shape.
 */
public final class ResponsesDialect implements ClientDialect {

    public static final ResponsesDialect INSTANCE = new ResponsesDialect();

    /** The answer to reading, cancelling or deleting a stored response: TokenHub stores none. */
    public static final OpenAiError NOT_STORED = new OpenAiError(
            404,
            "invalid_request_error",
            "TokenHub stores no responses (it keeps no prompts or answers), so there is none to read, cancel or delete."
                    + " Keep the response your request returned.",
            null,
            "response_not_found",
            null);

    private static final Pattern PROVIDER_PREFIX = Pattern.compile("^(chatcmpl-|msg_|resp_)");

    private ResponsesDialect() {}

    @Override
    public ClientExchange read(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = RequestParser.readTree(json, body);
        } catch (IOException e) {
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "We could not parse the JSON body of your request. The API expects a JSON payload.", null));
        }
        if (!(root instanceof ObjectNode request)) {
            throw new InvalidRequestException(
                    OpenAiError.invalidRequest("The request body must be a JSON object.", null));
        }
        ChatRequest chat = ChatRequest.of(ResponsesRequests.toChat(request));
        return new Exchange(request, chat);
    }

    @Override
    public String errorBody(OpenAiError error) {
        return error.toJson();
    }

    /**
     * Response and item ids from the chat answer's id, so one answer has the same ids however it is read: the
     * provider's own prefix ({@code chatcmpl-}, {@code msg_}, {@code resp_} from OpenAI's Responses API) gives way to
     * the Responses one, so an answer OpenAI gave on its Responses API keeps its own response id.
     */
    static String id(String prefix, String chatId) {
        return prefix + PROVIDER_PREFIX.matcher(chatId).replaceFirst("").replaceAll("[^A-Za-z0-9]", "");
    }

    private record Exchange(ObjectNode request, ChatRequest chat) implements ClientExchange {

        @Override
        public byte[] answer(byte[] completion) {
            try {
                JsonNode chat = UsageCost.EXACT.readTree(completion);
                String chatId = chat.path("id").asText();
                ObjectNode response = ResponseObjects.response(
                        request,
                        id("resp_", chatId),
                        chat.path("created").asLong(),
                        chat.path("model").asText(),
                        "completed");
                JsonNode choice = chat.path("choices").path(0);
                JsonNode message = choice.path("message");
                ArrayNode output = (ArrayNode) response.get("output");
                String text = message.path("content").isTextual()
                        ? message.path("content").asText()
                        : null;
                String refusal = message.path("refusal").isTextual()
                        ? message.path("refusal").asText()
                        : null;
                if (text != null && !text.isEmpty() || refusal != null) {
                    output.add(ResponseObjects.message(id("msg_", chatId), "completed", text, refusal));
                }
                for (JsonNode call : message.path("tool_calls")) {
                    output.add(ResponseObjects.functionCall(
                            call.path("id").asText(),
                            "completed",
                            call.path("function").path("name").asText(),
                            call.path("function").path("arguments").asText()));
                }
                ResponseObjects.finish(response, choice.path("finish_reason").asText(null));
                response.set("usage", ResponseObjects.usage(chat.path("usage")));
                return UsageCost.EXACT.writeValueAsBytes(response);
            } catch (IOException e) {
                // The chat completion is TokenHub's own: unreadable means a bug, not bad input.
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ClientStream stream() {
            return new ResponsesStream(request);
        }
    }
}
