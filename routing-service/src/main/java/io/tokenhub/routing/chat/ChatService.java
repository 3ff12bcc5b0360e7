package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.routing.dialect.ClientDialect;
import io.tokenhub.routing.dialect.ClientExchange;
import io.tokenhub.routing.dialect.messages.MessagesDialect;
import io.tokenhub.routing.inbound.InboundRequest;
import io.tokenhub.routing.inbound.Responder;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.settings.RoutingSettingsStore;
import io.tokenhub.routing.strategy.CandidateSelector;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Answers one request of a chat API (Chat Completions, or another {@link ClientDialect} translated to it): resolves
 * the model, calls its provider through the adapter, relays the answer (whole or streamed) and publishes one usage
 * event when the request is over.
 */
@ApplicationScoped
public class ChatService {

    private final ObjectMapper json;
    private final Catalog catalog;
    private final CandidateSelector selector;
    private final RoutingSettingsStore settings;
    private final AttemptDependencies dependencies;

    public ChatService(
            ObjectMapper json,
            Catalog catalog,
            CandidateSelector selector,
            RoutingSettingsStore settings,
            AttemptDependencies dependencies) {
        this.json = json;
        this.catalog = catalog;
        this.selector = selector;
        this.settings = settings;
        this.dependencies = dependencies;
        // Refuse to start with a catalog that sells a model no adapter can serve.
        catalog.models().forEach(m -> dependencies.adapters.forProvider(m.provider()));
    }

    public void complete(InboundRequest in, byte[] body, HttpServerResponse response, ClientDialect dialect) {
        ClientExchange exchange;
        try {
            exchange = dialect.read(json, body);
        } catch (InvalidRequestException e) {
            Responder.error(response, e.error(), null, false, dialect);
            return;
        }
        ChatRequest request = exchange.chat();
        Optional<ModelRef> ref = catalog.resolve(request.model());
        if (ref.isEmpty()) {
            Responder.error(response, OpenAiError.modelNotFound(request.model()), null, false, dialect);
            return;
        }
        Optional<OpenAiError> refused =
                ChatCapabilities.refusal(request, ref.get().model());
        if (refused.isPresent()) {
            Responder.error(response, refused.get(), null, false, dialect);
            return;
        }
        List<CatalogModel> candidates = selector.candidates(ref.get(), settings.get(in.accountId()));
        new ChatAttempt(in, exchange, dialect, candidates, response, dependencies).start();
    }

    /**
     * Anthropic's {@code count_tokens}: the prompt's tokens as TokenHub estimates them ({@link UsageEstimate}), for a
     * model TokenHub serves. No provider is called and nothing is billed.
     */
    public void countTokens(byte[] body, HttpServerResponse response) {
        ClientDialect dialect = MessagesDialect.COUNT_TOKENS;
        ChatRequest request;
        try {
            request = dialect.read(json, body).chat();
        } catch (InvalidRequestException e) {
            Responder.error(response, e.error(), null, false, dialect);
            return;
        }
        if (catalog.resolve(request.model()).isEmpty()) {
            Responder.error(response, OpenAiError.modelNotFound(request.model()), null, false, dialect);
            return;
        }
        Responder.json(response, MessagesDialect.tokenCount(UsageEstimate.promptTokens(request.body())), null, false);
    }
}
