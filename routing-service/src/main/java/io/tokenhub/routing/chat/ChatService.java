package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.routing.dialect.ClientDialect;
import io.tokenhub.routing.dialect.ClientExchange;
import io.tokenhub.routing.dialect.messages.MessagesDialect;
import io.tokenhub.routing.inbound.InboundRequest;
import io.tokenhub.routing.inbound.Responder;
import io.tokenhub.routing.models.ModelLifecycle;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.openai.RoutingPreferences;
import io.tokenhub.routing.settings.RoutingSettings;
import io.tokenhub.routing.settings.RoutingSettingsStore;
import io.tokenhub.routing.strategy.CandidateSelector;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers one request of a chat API (Chat Completions, or another {@link ClientDialect} translated to it): resolves
 * the model (a retired one to a 404 or, if the account follows successors, its successor), keeps to the candidates
 * with an endpoint in the account's region when it is restricted to one, calls its provider through the adapter,
 * relays the answer (whole or streamed) and publishes one usage event when the request is over.
 */
@ApplicationScoped
public class ChatService {

    /** The request's own routing fields left no model to call. */
    private static final OpenAiError NOTHING_LEFT = OpenAiError.invalidRequest(
            "The request's 'provider' preferences (only, ignore, order with allow_fallbacks false) exclude every "
                    + "provider of the requested models.",
            "provider");

    private final ObjectMapper json;
    private final Catalog catalog;
    private final CandidateSelector selector;
    private final RoutingSettingsStore settings;
    private final AttemptDependencies dependencies;
    private final ModelLifecycle lifecycle;

    public ChatService(
            ObjectMapper json,
            Catalog catalog,
            CandidateSelector selector,
            RoutingSettingsStore settings,
            AttemptDependencies dependencies,
            ModelLifecycle lifecycle) {
        this.json = json;
        this.catalog = catalog;
        this.selector = selector;
        this.settings = settings;
        this.dependencies = dependencies;
        this.lifecycle = lifecycle;
        // Refuse to start with a catalog that sells a model no adapter can serve.
        catalog.models().forEach(m -> dependencies.adapters.forProvider(m.provider()));
    }

    public void complete(InboundRequest in, byte[] body, RoutingContext ctx, ClientDialect dialect) {
        HttpServerResponse response = ctx.response();
        ClientExchange exchange;
        try {
            exchange = dialect.read(json, body);
        } catch (InvalidRequestException e) {
            Responder.error(response, e.error(), null, false, dialect);
            return;
        }
        ChatRequest request = exchange.chat();
        Optional<ModelRef> resolved = catalog.resolve(request.model());
        if (resolved.isEmpty()) {
            Responder.error(response, OpenAiError.modelNotFound(request.model()), null, false, dialect);
            return;
        }
        lifecycle
                .deprecation(resolved.get().model())
                .ifPresent(day -> response.putHeader(TokenHubHeaders.DEPRECATION, day));
        RoutingSettings account = settings.get(in.accountId());
        RoutingPreferences preferences = request.routing();
        ModelRef ref;
        List<ModelRef> listed = new ArrayList<>();
        try {
            ref = lifecycle.current(resolved.get(), request.model(), account.followSuccessors());
            for (int i = 0; i < preferences.models().size(); i++) {
                String name = preferences.models().get(i);
                Optional<ModelRef> entry = catalog.resolve(name);
                if (entry.isEmpty()) {
                    Responder.error(response, unknownListed(name, i), null, false, dialect);
                    return;
                }
                listed.add(lifecycle.current(entry.get(), name, account.followSuccessors()));
            }
        } catch (InvalidRequestException e) {
            Responder.error(response, e.error(), null, false, dialect);
            return;
        }
        Optional<OpenAiError> refused = ChatCapabilities.refusal(request, ref.model());
        if (refused.isPresent()) {
            Responder.error(response, refused.get(), null, false, dialect);
            return;
        }
        List<CatalogModel> candidates;
        if (preferences.none()) {
            candidates = selector.candidates(ref, account);
        } else {
            candidates = selector.candidates(ref, listed, account, preferences);
            if (candidates.isEmpty()) {
                Responder.error(response, NOTHING_LEFT, null, false, dialect);
                return;
            }
        }
        Optional<String> region = account.regionRestriction();
        if (region.isPresent()) {
            candidates = candidates.stream()
                    .filter(m -> dependencies.calls.servable(m, region))
                    .toList();
            if (candidates.isEmpty()) {
                Responder.error(response, OpenAiError.notInRegion(request.model(), region.get()), null, false, dialect);
                return;
            }
        }
        new ChatAttempt(in, exchange, dialect, candidates, region, ctx, dependencies).start();
    }

    private static OpenAiError unknownListed(String name, int index) {
        return new OpenAiError(
                400,
                "invalid_request_error",
                "The model '" + name + "' in 'models' does not exist or you do not have access to it.",
                "models[" + index + "]",
                "model_not_found",
                null);
    }

    /**
     * Anthropic's {@code count_tokens}: the prompt's tokens as TokenHub estimates them ({@link StreamUsage#promptTokens}), for a
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
        Responder.json(response, MessagesDialect.tokenCount(StreamUsage.promptTokens(request.body())), null, false);
    }
}
