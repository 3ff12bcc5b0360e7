package io.tokenhub.simulator.google;

import static io.tokenhub.simulator.google.GoogleAnswers.candidate;
import static io.tokenhub.simulator.google.GoogleAnswers.parts;
import static io.tokenhub.simulator.google.GoogleAnswers.signs;
import static io.tokenhub.simulator.google.GoogleAnswers.usage;
import static io.tokenhub.simulator.google.GoogleFailures.error;
import static io.tokenhub.simulator.google.GoogleRequests.conversation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SseStream;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/** Gemini's {@code streamGenerateContent}: SSE events with {@code alt=sse}, else one JSON array of the same chunks. */
final class GoogleStreams {

    private GoogleStreams() {}

    static void stream(
            HttpServerRequest req,
            Behaviour behaviour,
            Conversation conversation,
            Answer answer,
            String version,
            String responseId) {
        boolean sse = "sse".equals(req.getParam("alt"));
        List<ObjectNode> chunks = new ArrayList<>();
        boolean signed = signs(conversation.model());
        for (int c = 0; c < conversation.choices(); c++) {
            List<String> pieces = answer.textPieces();
            boolean hasCalls = !answer.toolCalls().isEmpty();
            for (int p = 0; p < pieces.size(); p++) {
                boolean last = p == pieces.size() - 1 && !hasCalls;
                chunks.add(chunk(c, answer, parts(pieces.get(p), List.of(), signed && p == 0), last));
            }
            if (hasCalls || pieces.isEmpty()) {
                chunks.add(chunk(
                        c,
                        answer,
                        parts(hasCalls ? null : "", answer.toolCalls(), signed && (hasCalls || pieces.isEmpty())),
                        true));
            }
        }
        SseStream stream = new SseStream();
        for (int i = 0; i < chunks.size(); i++) {
            ObjectNode chunk = chunks.get(i);
            chunk.set("usageMetadata", usage(answer.usage(), i == chunks.size() - 1));
            chunk.put("modelVersion", version).put("responseId", responseId);
            String frame = sse ? "data: " + chunk + "\r\n\r\n" : (i == 0 ? "[" : ",\r\n") + chunk;
            stream.content(frame);
        }
        if (!sse) {
            stream.add("]");
        }
        ObjectNode error = Json.object();
        error.putObject("error")
                .put("code", 503)
                .put("message", "The model is overloaded. Please try again later.")
                .put("status", "UNAVAILABLE");
        String errorFrame = sse ? "data: " + error + "\r\n\r\n" : ",\r\n" + error + "]";
        req.response().putHeader("content-type", sse ? "text/event-stream" : "application/json; charset=UTF-8");
        stream.send(req, behaviour, errorFrame);
    }

    static ObjectNode chunk(int candidateIndex, Answer answer, ArrayNode parts, boolean last) {
        ObjectNode chunk = Json.object();
        chunk.putArray("candidates").add(candidate(candidateIndex, answer, parts, last));
        return chunk;
    }
}
