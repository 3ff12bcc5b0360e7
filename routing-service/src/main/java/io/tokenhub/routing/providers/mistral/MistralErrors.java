package io.tokenhub.routing.providers.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.translate.ProviderErrors;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Mistral's errors, for chat and embeddings. Their bodies are not stable, so each known form is read defensively:
 * FastAPI's validation body {@code {"detail": [{loc, msg, type}]}} (422, which OpenAI clients know as a 400), the
 * general {@code {"object": "error", message, type, code}}, and the bare {@code {"message": ...}} of the gateway in
 * front of it. Mistral's numeric codes mean nothing to an OpenAI client; its error type is passed on as the code.
 */
final class MistralErrors {

    private MistralErrors() {}

    static OpenAiError toOpenAiError(ObjectMapper json, int status, MultiMap headers, byte[] body) {
        JsonNode root = ProviderErrors.readJson(json, body);
        Long retryAfter = ProviderErrors.retryAfterSeconds(headers);
        JsonNode detail = root.path("detail");
        if (detail.isArray() && !detail.isEmpty()) {
            List<String> problems = new ArrayList<>();
            String param = null;
            for (JsonNode d : detail) {
                String at = location(d.path("loc"));
                problems.add((at.isEmpty() ? "" : at + ": ") + d.path("msg").asText("invalid"));
                param = param == null && !at.isEmpty() ? at : param;
            }
            return ProviderErrors.fromStatus(
                    status,
                    "invalid_request_error",
                    "mistral refused the request: " + String.join("; ", problems),
                    param,
                    null,
                    retryAfter);
        }
        String type = root.path("type").asText(null);
        boolean clientFault = status < 500 && status != 429;
        return ProviderErrors.fromStatus(
                status,
                clientFault ? "invalid_request_error" : null,
                root.path("message").asText(detail.isTextual() ? detail.asText() : null),
                null,
                clientFault && type != null && !type.equals("invalid_request_error") ? type : null,
                retryAfter);
    }

    /** FastAPI's {@code loc} without its leading {@code body}: {@code ["body","messages",0,"user","name"]} -> messages.0.user.name. */
    private static String location(JsonNode loc) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < loc.size(); i++) {
            if (i == 0 && "body".equals(loc.get(i).asText())) {
                continue;
            }
            parts.add(loc.get(i).asText());
        }
        return String.join(".", parts);
    }
}
