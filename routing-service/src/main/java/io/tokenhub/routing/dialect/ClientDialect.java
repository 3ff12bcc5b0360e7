package io.tokenhub.routing.dialect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;

/**
 * One API a client can speak to TokenHub (Chat Completions, Responses, Anthropic Messages), spoken over the one
 * internal request: Chat Completions. A dialect translates the client's request to it and the chat answer, stream and
 * errors back, so every API shares the same routing, fallback, billing and privacy rules instead of a pipeline each.
 */
public interface ClientDialect {

    /**
     * Reads one request in this API's shape.
     *
     * @throws InvalidRequestException with the 400 the client should get, in terms of this API's fields
     */
    ClientExchange read(ObjectMapper json, byte[] body);

    /** An error body in this API's shape, for {@code error}'s status. */
    String errorBody(OpenAiError error);
}
