package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.common.pricing.Charge;
import io.tokenhub.routing.call.ProviderCalls;
import io.tokenhub.routing.call.ProviderCalls.Ready;
import io.tokenhub.routing.call.ProviderCalls.Route;
import io.tokenhub.routing.call.ProviderCalls.Skipped;
import io.tokenhub.routing.dialect.ClientDialect;
import io.tokenhub.routing.dialect.ClientExchange;
import io.tokenhub.routing.inbound.InboundRequest;
import io.tokenhub.routing.inbound.Responder;
import io.tokenhub.routing.openai.CacheControls;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.FailedAnswerException;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.ProviderAdapter;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.upstream.ProviderClient.Endpoint;
import io.tokenhub.routing.upstream.ProviderFailures.Classified;
import io.tokenhub.routing.usage.UsageCost;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One request on its way through its candidate models: calls the first usable one and, while nothing has reached the
 * client, moves to the next when a provider fails (5xx, 429, timeout, stall, connection error, open breaker), passing
 * over the other models of a provider that already failed it. A
 * provider that refuses the request itself (4xx) ends it: any other provider would refuse it too.
 */
final class ChatAttempt implements ProviderCalls.Handler {

    /** What a failed call counts as in the latency averages, at least. */
    private static final long FAILURE_PENALTY_MILLIS = 10_000;

    private final InboundRequest in;
    private final ClientExchange exchange;
    private final ClientDialect dialect;
    private final ChatRequest request;
    private final List<CatalogModel> candidates;
    /** The region the account is restricted to, if any: every call goes to an endpoint in it. */
    private final Optional<String> region;

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final AttemptDependencies deps;
    private final long deadline;
    private int next;
    private int failedAttempts;
    private CatalogModel model;
    private ProviderAdapter adapter;
    private Endpoint endpoint;
    private Long firstTokenMs;
    /** The one usage event spooled for this request; null until then. */
    private UsageEvent published;
    /** Whether any provider was called for this request. */
    private boolean called;
    /** Candidates that could take the request but were reported DOWN or are not configured. */
    private int skippedCandidates;
    /** Why the first backup that could not take this request was passed over, for the final error to say. */
    private OpenAiError backupRefusal;
    /** Candidates skipped because they were reported DOWN. */
    private int downCandidates;
    /** Whether every candidate was reported DOWN and they are being tried anyway. */
    private boolean panic;
    /** Providers that failed this request: their other models are passed over, as the failure is most likely theirs. */
    private final Set<Provider> failedProviders = EnumSet.noneOf(Provider.class);

    ChatAttempt(
            InboundRequest in,
            ClientExchange exchange,
            ClientDialect dialect,
            List<CatalogModel> candidates,
            Optional<String> region,
            RoutingContext ctx,
            AttemptDependencies deps) {
        this.in = in;
        this.exchange = exchange;
        this.dialect = dialect;
        this.request = exchange.chat();
        this.candidates = candidates;
        this.region = region;
        this.ctx = ctx;
        this.response = ctx.response();
        this.deps = deps;
        this.deadline = in.startNanos() + deps.deadlineNanos;
        this.model = candidates.get(0);
    }

    void start() {
        tryNext(null);
    }

    /**
     * Calls the next candidate that can take this request and can be called now. Whether a candidate can take the
     * request is judged first, whatever the providers' state, so a bad request is a 400 even during an outage: the
     * first choice's refusal ends the request, a backup's only passes it over (a backup that cannot take the request
     * is no backup). Then candidates reported DOWN or not configured are skipped. Once none is left, or the deadline
     * passed, the client gets {@code lastError}: the last provider's own error, or a 503 when no provider could be
     * called at all.
     */
    private void tryNext(OpenAiError lastError) {
        OpenAiError error = lastError;
        while (next < candidates.size() && System.nanoTime() < deadline) {
            CatalogModel candidate = candidates.get(next++);
            if (failedProviders.contains(candidate.provider())) {
                continue;
            }
            // With require_parameters the client asked for candidates to be skipped, the first choice too.
            boolean primary =
                    candidate == candidates.get(0) && !request.routing().requireParameters();
            if (!primary) {
                Optional<OpenAiError> refusal = ChatCapabilities.refusal(request, candidate);
                if (refusal.isPresent()) {
                    passOver(refusal.get());
                    continue;
                }
            }
            ProviderAdapter candidateAdapter = deps.adapters.forProvider(candidate.provider());
            Route route = deps.calls.route(candidate, request.model(), panic, region);
            NativeRequest nativeRequest;
            try {
                // A skipped candidate is translated without a key only to learn whether it could take the request.
                nativeRequest = candidateAdapter.toNativeRequest(
                        request,
                        candidate,
                        route instanceof Ready ready ? ready.endpoint().apiKey() : "");
            } catch (InvalidRequestException e) {
                if (primary) {
                    fail(e.error(), RequestStatus.CLIENT_ERROR);
                    return;
                }
                passOver(e.error());
                continue;
            }
            if (route instanceof Skipped skipped) {
                error = error != null ? error : skipped.error();
                skippedCandidates++;
                if (skipped.down()) {
                    downCandidates++;
                }
                continue;
            }
            model = candidate;
            adapter = candidateAdapter;
            endpoint = ((Ready) route).endpoint();
            called = true;
            reportIgnored(candidateAdapter);
            deps.calls.send(
                    model,
                    endpoint,
                    nativeRequest,
                    adapter::toOpenAiError,
                    request.model(),
                    failedAttempts + 1,
                    fallback(),
                    this);
            return;
        }
        if (!called && downCandidates > 0 && !panic && System.nanoTime() < deadline) {
            // Every candidate that could take the request is reported DOWN: pass them again in panic, where a DOWN
            // model takes a trial request now and then (ProviderCalls.route), so a recovered fleet is served at once.
            Log.debugf("request %s: every candidate is reported down, looking for a trial", in.requestId());
            panic = true;
            next = 0;
            skippedCandidates = 0;
            tryNext(error);
            return;
        }
        if (!called && skippedCandidates == 0 && backupRefusal != null) {
            // No candidate could ever take this request, outage or not: the client must change it.
            fail(backupRefusal, RequestStatus.CLIENT_ERROR);
            return;
        }
        if (!called && skippedCandidates > 1) {
            error = OpenAiError.unavailable("Every provider that can serve '" + request.model()
                    + "' is currently unavailable. Please retry shortly.");
        }
        fail(
                explained(error != null ? error : OpenAiError.unavailable("No provider could answer in time.")),
                RequestStatus.PROVIDER_ERROR);
    }

    /** Names what the provider about to be called will drop; a later backup's own list replaces it. */
    private void reportIgnored(ProviderAdapter candidateAdapter) {
        String ignored = candidateAdapter.ignoredFields().stream()
                .filter(field -> {
                    if (field.equals(CacheControls.FIELD)) {
                        // Breakpoints sit on messages, content parts and tools, never at the top level.
                        return CacheControls.present(request.body());
                    }
                    JsonNode value = request.body().get(field);
                    return value != null && !value.isNull() && !(value.isBoolean() && !value.asBoolean());
                })
                .sorted()
                .collect(Collectors.joining(","));
        if (ignored.isEmpty()) {
            response.headers().remove(TokenHubHeaders.IGNORED_PARAMS);
        } else {
            response.headers().set(TokenHubHeaders.IGNORED_PARAMS, ignored);
        }
    }

    private void passOver(OpenAiError refusal) {
        if (backupRefusal == null) {
            backupRefusal = refusal;
        }
    }

    /**
     * A provider failure that a backup could have answered but for what the request asks: says so and names the field,
     * so the client knows it can retry later or drop that field, instead of only "unavailable".
     */
    private OpenAiError explained(OpenAiError error) {
        if (backupRefusal == null || error.status() < 500) {
            return error;
        }
        return new OpenAiError(
                error.status(),
                error.type(),
                error.message() + " No backup can take this request instead: " + backupRefusal.message(),
                backupRefusal.param(),
                error.code(),
                error.retryAfterSeconds());
    }

    @Override
    public void onResponse(HttpClientResponse upstream, long headMillis) {
        deps.latency.record(model, headMillis);
        int status = upstream.statusCode();
        if (status < 200 || status >= 300) {
            // The provider judged the request itself: another provider would judge it the same way.
            upstream.body()
                    .onComplete(ar -> fail(
                            adapter.toOpenAiError(
                                    status,
                                    upstream.headers(),
                                    ar.succeeded() ? ar.result().getBytes() : new byte[0]),
                            RequestStatus.CLIENT_ERROR));
            upstream.resume();
            return;
        }
        if (request.stream()) {
            new StreamRelay(this, upstream).start();
            return;
        }
        upstream.body().onComplete(ar -> {
            if (ar.failed()) {
                fail(
                        OpenAiError.badGateway("The provider closed the connection before the answer was complete."),
                        RequestStatus.PROVIDER_ERROR);
                return;
            }
            TranslatedResponse translated;
            try {
                translated =
                        adapter.toOpenAiResponse(request, model, ar.result().getBytes());
            } catch (FailedAnswerException e) {
                fail(e.error(), RequestStatus.PROVIDER_ERROR, e.usage());
                return;
            } catch (RuntimeException e) {
                Log.warnf(
                        "request %s: untranslatable answer from %s: %s",
                        in.requestId(),
                        model.provider().wireName(),
                        e.getClass().getSimpleName());
                fail(
                        OpenAiError.badGateway("The provider sent an answer TokenHub could not read."),
                        RequestStatus.PROVIDER_ERROR);
                return;
            }
            // Spooled before the answer is handed over: an answered request is never without its bill.
            UsageEvent event = finish(RequestStatus.SUCCEEDED, 200, translated.usage(), UsageSource.REPORTED);
            if (!response.closed()) {
                Optional<Charge> charge = charge(event);
                byte[] body = charge.map(c -> UsageCost.withCost(translated.body(), c))
                        .orElse(translated.body());
                charge.ifPresent(c -> response.putHeader(
                        TokenHubHeaders.COST_USD, c.totalUsd().toPlainString()));
                Responder.json(response, exchange.answer(body), model.provider(), fallback());
            }
        });
        upstream.resume();
    }

    /** Nothing has reached the client yet, so a provider failure can still be answered by the next candidate. */
    @Override
    public void onFailure(Classified classified, long elapsedMillis) {
        // A failure is as bad as a slow answer for the latency strategy.
        deps.latency.record(model, Math.max(elapsedMillis, FAILURE_PENALTY_MILLIS));
        failedAttempts++;
        failedProviders.add(model.provider());
        if (response.closed()) {
            finish(RequestStatus.CANCELLED, 499, Usage.NONE, UsageSource.REPORTED);
            return;
        }
        if (next < candidates.size()) {
            Log.debugf(
                    "request %s: %s failed (%s), trying the next provider",
                    in.requestId(), model.provider().wireName(), classified.kind());
            tryNext(classified.error());
            return;
        }
        fail(explained(classified.error()), RequestStatus.PROVIDER_ERROR);
    }

    private void fail(OpenAiError error, RequestStatus status) {
        fail(error, status, Usage.NONE);
    }

    /** Fails the request; the routing headers name a provider only when one was called. */
    private void fail(OpenAiError error, RequestStatus status, Usage usage) {
        finish(status, error.status(), usage, UsageSource.REPORTED);
        Responder.error(response, error, called ? model.provider() : null, fallback(), dialect);
    }

    /** True when the model answering (or last tried) is a backup, not the first choice. */
    boolean fallback() {
        return model != candidates.get(0);
    }

    void firstToken() {
        if (firstTokenMs == null) {
            firstTokenMs = in.elapsedMillis();
        }
    }

    /** Spools this request's usage event, once; returns the event billed, so the caller can show its cost. */
    UsageEvent finish(RequestStatus status, int httpStatus, Usage usage, UsageSource source) {
        if (status == RequestStatus.SUCCEEDED) {
            recordThroughput(usage);
        }
        return publish(usageEvent(status, httpStatus, usage, source));
    }

    /** Output speed from the first token (or the request, when not streamed) to the end, for throughput sorting. */
    private void recordThroughput(Usage usage) {
        long generating = in.elapsedMillis() - (firstTokenMs == null ? 0 : firstTokenMs);
        if (usage.outputTokens() > 0 && generating > 0) {
            deps.latency.recordThroughput(model, usage.outputTokens() * 1000.0 / generating);
        }
    }

    /** What billing will charge for {@code event}; see {@link UsageCost}. */
    Optional<Charge> charge(UsageEvent event) {
        return UsageCost.charge(deps.pricing, event);
    }

    private UsageEvent publish(UsageEvent event) {
        if (published == null) {
            published = event;
            deps.publisher.publish(event);
            deps.metrics.record(event);
            Responder.usedTokens(response, event.inputTokens() + event.outputTokens());
        }
        return published;
    }

    private UsageEvent usageEvent(RequestStatus status, int httpStatus, Usage usage, UsageSource source) {
        return in.usageEvent(
                request.model(),
                model,
                usage.inputTokens(),
                usage.outputTokens(),
                usage.cachedTokens(),
                usage.cacheWrite5mTokens(),
                usage.cacheWrite1hTokens(),
                firstTokenMs,
                status,
                httpStatus,
                failedAttempts,
                request.stream(),
                source);
    }

    ProviderAdapter adapter() {
        return adapter;
    }

    long streamIdleMillis() {
        return endpoint.streamIdleMillis();
    }

    ChatRequest request() {
        return request;
    }

    ClientExchange exchange() {
        return exchange;
    }

    CatalogModel model() {
        return model;
    }

    HttpServerResponse response() {
        return response;
    }

    /**
     * Runs {@code cancel} if the gateway's connection or stream closes before the response ended. Through the routing
     * context's end handlers, not the response's single close handler, which would replace the one that frees this
     * request's admission slot.
     */
    void onClientGone(Runnable cancel) {
        ctx.addEndHandler(ended -> {
            if (ended.failed()) {
                cancel.run();
            }
        });
    }

    String requestId() {
        return in.requestId();
    }
}
