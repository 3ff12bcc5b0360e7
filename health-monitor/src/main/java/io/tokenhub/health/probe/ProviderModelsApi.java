package io.tokenhub.health.probe;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Each provider's list-models call, the cheapest authenticated request each API has: it costs no tokens, and it
 * fails the way real calls fail when the provider is down or our key is refused. Built per provider by
 * {@link ProviderProbeClient}, since every provider has its own base URL.
 */
@RegisterRestClient
interface ProviderModelsApi {

    /** OpenAI (https://platform.openai.com/docs/api-reference/models/list) and Meta's OpenAI-compatible API. */
    @GET
    @Path("/models")
    Uni<Response> openAiModels(@HeaderParam("Authorization") String bearer);

    /** Mistral (https://docs.mistral.ai/api/#tag/models/operation/list_models_v1_models_get). */
    @GET
    @Path("/v1/models")
    Uni<Response> mistralModels(@HeaderParam("Authorization") String bearer);

    /** Anthropic (https://docs.anthropic.com/en/api/models-list). */
    @GET
    @Path("/v1/models")
    Uni<Response> anthropicModels(
            @HeaderParam("x-api-key") String apiKey, @HeaderParam("anthropic-version") String version);

    /** Google Gemini (https://ai.google.dev/api/models#method:-models.list). */
    @GET
    @Path("/v1beta/models")
    Uni<Response> googleModels(@HeaderParam("x-goog-api-key") String apiKey);
}
