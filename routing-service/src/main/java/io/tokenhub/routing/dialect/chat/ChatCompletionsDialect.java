package io.tokenhub.routing.dialect.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.dialect.ClientDialect;
import io.tokenhub.routing.dialect.ClientExchange;
import io.tokenhub.routing.dialect.ClientStream;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI's Chat Completions (https://platform.openai.com/docs/api-reference/chat), the internal request itself: the
 * request, answer and stream go through unchanged, so this API costs nothing for being one of several.
 */
public final class ChatCompletionsDialect implements ClientDialect {

    public static final ChatCompletionsDialect INSTANCE = new ChatCompletionsDialect();

    /** OpenAI's own stream framing; stateless, so one serves every stream. */
    public static final ClientStream STREAM = new DataFrames();

    private static final String DONE = "data: [DONE]\n\n";

    private ChatCompletionsDialect() {}

    @Override
    public ClientExchange read(ObjectMapper json, byte[] body) {
        ChatRequest request = ChatRequest.parse(json, body);
        return new ClientExchange() {
            @Override
            public ChatRequest chat() {
                return request;
            }

            @Override
            public byte[] answer(byte[] completion) {
                return completion;
            }

            @Override
            public ClientStream stream() {
                return STREAM;
            }
        };
    }

    @Override
    public String errorBody(OpenAiError error) {
        return error.toJson();
    }

    /** OpenAI's own framing: each payload as a {@code data:} event, {@code [DONE]} after a complete answer. */
    private static final class DataFrames implements ClientStream {

        @Override
        public void chunk(String payload, Buffer out) {
            frame(payload, out);
        }

        @Override
        public void done(Buffer out) {
            out.appendString(DONE);
        }

        @Override
        public void error(String errorPayload, Buffer out) {
            frame(errorPayload, out);
        }

        private static void frame(String payload, Buffer out) {
            out.appendString("data: ").appendString(payload).appendString("\n\n");
        }
    }
}
