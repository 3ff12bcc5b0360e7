package io.tokenhub.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;

/**
 * One finished request, as published on {@code tokenhub.usage} (key: account id). Metadata only: no prompt,
 * completion, message or tool content ever goes in here.
 *
 * @param eventVersion schema version of this record, raised on incompatible change
 * @param requestId the billing id the gateway made for this request (never the client's); billing is idempotent on
 *     it
 * @param accountId the account the TokenHub key belongs to
 * @param keyId the id (never the secret) of the key used
 * @param requestedModel the model string exactly as the client sent it
 * @param model the catalog id that answered (differs from the requested one after a fallback)
 * @param provider the provider that answered, or was last tried when none did
 * @param providerModel the model id sent to that provider
 * @param inputTokens all prompt tokens, cached ones and cache writes included (OpenAI semantics)
 * @param outputTokens completion tokens, reasoning tokens included
 * @param cachedTokens the part of {@code inputTokens} read from the provider's prompt cache
 * @param latencyMs from receipt at routing-service to the last byte sent
 * @param timeToFirstTokenMs for streams, until the first chunk was sent; null otherwise
 * @param status how the request ended
 * @param httpStatus the status the client received (200 for streams that started)
 * @param fallbackAttempts how many providers failed before the one that answered
 * @param streamed whether the client asked for a stream
 * @param occurredAt when the request was received; prices in force at this instant apply
 * @param clientRequestId the client's own {@code X-Inferoute-Request-Id}, a correlation id only; null when the client
 *     sent none (and in events written before the field existed)
 * @param keyName the name the key's owner gave it when the request was made, for usage by key; null in events written
 *     before the field existed
 * @param api the public API the request came in through; events written before the field existed read as
 *     {@link Api#CHAT_COMPLETIONS} (their embeddings requests cannot be told apart afterwards)
 * @param usageSource whether the token counts are the provider's own or TokenHub's estimate; events written before
 *     the field existed read as {@link UsageSource#ESTIMATED} for a cancelled stream and {@link UsageSource#REPORTED}
 *     otherwise (their Google embeddings, estimated too, cannot be told apart afterwards)
 * @param cacheWrite5mTokens the part of {@code inputTokens} written to the provider's prompt cache for 5 minutes
 *     (Anthropic bills it above the input rate); 0 in events written before the field existed, which billed writes as
 *     input
 * @param cacheWrite1hTokens the part of {@code inputTokens} written to the prompt cache for 1 hour; 0 in older events
 */
public record UsageEvent(
        @JsonProperty("event_version") int eventVersion,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("account_id") String accountId,
        @JsonProperty("key_id") String keyId,
        @JsonProperty("requested_model") String requestedModel,
        @JsonProperty("model") String model,
        @JsonProperty("provider") String provider,
        @JsonProperty("provider_model") String providerModel,
        @JsonProperty("input_tokens") long inputTokens,
        @JsonProperty("output_tokens") long outputTokens,
        @JsonProperty("cached_tokens") long cachedTokens,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("time_to_first_token_ms") Long timeToFirstTokenMs,
        @JsonProperty("status") RequestStatus status,
        @JsonProperty("http_status") int httpStatus,
        @JsonProperty("fallback_attempts") int fallbackAttempts,
        @JsonProperty("streamed") boolean streamed,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("client_request_id") String clientRequestId,
        @JsonProperty("key_name") String keyName,
        @JsonProperty("api") Api api,
        @JsonProperty("usage_source") UsageSource usageSource,
        // Absent from older events: 0, where every other missing number stays an error (FAIL_ON_NULL_FOR_PRIMITIVES).
        @JsonProperty("cache_write_5m_tokens") @JsonSetter(nulls = Nulls.AS_EMPTY)
        long cacheWrite5mTokens,

        @JsonProperty("cache_write_1h_tokens") @JsonSetter(nulls = Nulls.AS_EMPTY)
        long cacheWrite1hTokens) {

    /**
     * Still 1: {@code api}, {@code usage_source} and the cache-write counts came as optional trailing fields that
     * older events lack.
     */
    public static final int CURRENT_VERSION = 1;

    public UsageEvent {
        api = api == null ? Api.CHAT_COMPLETIONS : api;
        if (usageSource == null) {
            usageSource = streamed && status == RequestStatus.CANCELLED ? UsageSource.ESTIMATED : UsageSource.REPORTED;
        }
    }

    /** Prompt tokens written to the provider's cache, whatever their lifetime. */
    public long cacheWriteTokens() {
        return cacheWrite5mTokens + cacheWrite1hTokens;
    }
}
