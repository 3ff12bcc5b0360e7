package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The oracle itself: it accepts the examples of OpenAI's API reference and recorded real streams (docs/reference/
 * apis.md, sections 0.1 to 0.5), and refuses each way a body can be subtly wrong, so a test built on it fails when
 * TokenHub answers garbage with a 200.
 */
class OpenAiWireTest {

    /** The chat completion example of OpenAI's API reference (Create chat completion, default example). */
    private static final String COMPLETION = """
            {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
             "model":"gpt-4.1-2025-04-14","choices":[{"index":0,"message":{"role":"assistant",
             "content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,
             "finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
             "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":
             {"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
             "service_tier":"default"}""";

    /** A stream as OpenAI sends it with {@code include_usage}: role, content, finish, usage chunk, [DONE]. */
    private static final String STREAM = """
            data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",\
            "choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],\
            "usage":null}

            data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",\
            "choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",\
            "choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

            data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",\
            "choices":[],"usage":{"prompt_tokens":16,"completion_tokens":300,"total_tokens":316}}

            data: [DONE]

            """;

    /** The embeddings example of OpenAI's API reference. */
    private static final String EMBEDDINGS = """
            {"object":"list","data":[{"object":"embedding","embedding":[0.0023064255,-0.009327292,-0.0028842222],
             "index":0}],"model":"text-embedding-ada-002","usage":{"prompt_tokens":8,"total_tokens":8}}""";

    /** A recorded real 400 (docs/reference/apis.md 0.1). */
    private static final String ERROR = """
            {"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use \
            'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens",\
            "code":"unsupported_parameter"}}""";

    @Test
    void acceptsWhatOpenAiDocumentsAndSends() {
        assertEquals(Optional.empty(), OpenAiWire.chatCompletion(COMPLETION));
        assertEquals(Optional.empty(), OpenAiWire.chatStream(STREAM));
        assertEquals(Optional.empty(), OpenAiWire.embeddings(EMBEDDINGS));
        assertEquals(
                Optional.empty(),
                OpenAiWire.embeddings(
                        EMBEDDINGS.replace("[0.0023064255,-0.009327292,-0.0028842222]", "\"AAAAPwAAgL8=\"")));
        assertEquals(Optional.empty(), OpenAiWire.error(ERROR));
        assertEquals(
                Optional.empty(),
                OpenAiWire.error(
                        "{\"error\":{\"message\":\"m\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
    }

    @Test
    void refusesCompletionsAClientWouldChokeOn() {
        refused(OpenAiWire.chatCompletion("garbage"), "not JSON");
        refused(OpenAiWire.chatCompletion("{}"), "object is not chat.completion");
        refused(OpenAiWire.chatCompletion(COMPLETION.replace("\"stop\"", "\"end_turn\"")), "finish_reason");
        refused(
                OpenAiWire.chatCompletion(COMPLETION.replace("\"total_tokens\":29", "\"total_tokens\":30")),
                "total_tokens");
        refused(
                OpenAiWire.chatCompletion(COMPLETION.replace("\"Hello! How can I assist you today?\"", "\"\"")),
                "neither content nor tool calls");
        refused(
                OpenAiWire.chatCompletion(COMPLETION.replace("\"created\":1741569952", "\"created\":\"now\"")),
                "created");
        refused(OpenAiWire.chatCompletion(COMPLETION.replace("\"role\":\"assistant\"", "\"role\":\"model\"")), "role");
    }

    @Test
    void refusesStreamsAClientWouldChokeOn() {
        refused(OpenAiWire.chatStream(STREAM.replace("data: [DONE]", "")), "does not end in [DONE]");
        refused(OpenAiWire.chatStream(STREAM + "data: [DONE]\n\n"), "exactly once");
        refused(OpenAiWire.chatStream(STREAM.replaceFirst("chatcmpl-123", "chatcmpl-456")), "different ids");
        refused(
                OpenAiWire.chatStream(STREAM.replace(
                        "data: [DONE]",
                        "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\ndata: [DONE]")),
                "error event");
        refused(OpenAiWire.chatStream("event: message_start\n" + STREAM), "not an SSE data line");
    }

    @Test
    void refusesEmbeddingsAndErrorsAClientWouldChokeOn() {
        refused(OpenAiWire.embeddings(EMBEDDINGS.replace("\"index\":0", "\"index\":1")), "index");
        refused(
                OpenAiWire.embeddings(EMBEDDINGS.replace("[0.0023064255,-0.009327292,-0.0028842222]", "\"AAA\"")),
                "base64");
        refused(OpenAiWire.error("{\"error\":\"bad\"}"), "error without message");
        refused(OpenAiWire.error("{\"error\":{\"message\":\"m\",\"type\":\"t\"}}"), "param is missing");
        refused(
                OpenAiWire.error("{\"detail\":\"x\",\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":null,"
                        + "\"code\":null}}"),
                "exactly one error object");
        refused(
                OpenAiWire.error("{\"error\":{\"message\":\"java.lang.IllegalStateException\",\"type\":\"t\","
                        + "\"param\":null,\"code\":null}}"),
                "internals leaked");
    }

    private static void refused(Optional<String> verdict, String expectedProblem) {
        assertTrue(verdict.isPresent(), "accepted a body with: " + expectedProblem);
        assertTrue(verdict.get().contains(expectedProblem), verdict.get());
    }
}
