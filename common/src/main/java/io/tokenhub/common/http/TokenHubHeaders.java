package io.tokenhub.common.http;

/** HTTP header names shared by the services: the public ones from the contract and the internal hop's own. */
public final class TokenHubHeaders {

    /** The request id every response carries; a sane client-sent value is kept. */
    public static final String REQUEST_ID = "X-Inferoute-Request-Id";
    /** The same request id under the name the OpenAI SDKs read. */
    public static final String OPENAI_REQUEST_ID = "x-request-id";
    /** The same request id under the name the Anthropic SDKs read, on the Messages endpoints. */
    public static final String ANTHROPIC_REQUEST_ID = "request-id";
    /** The provider that answered. */
    public static final String PROVIDER = "X-TokenHub-Provider";
    /** {@code true} when a backup provider answered. */
    public static final String FALLBACK = "X-TokenHub-Fallback";
    /** Non-streamed responses: what the request cost, provider cost plus routing fee, a decimal string in USD. */
    public static final String COST_USD = "X-TokenHub-Cost-USD";
    /** The requested model is deprecated: the day its provider retires it, {@code YYYY-MM-DD}. */
    public static final String DEPRECATION = "X-TokenHub-Deprecation";
    /** A monthly budget is 80 % spent or more: {@code <account|key>; spent=<usd>; budget=<usd>}, comma-separated. */
    public static final String BUDGET_WARNING = "X-TokenHub-Budget-Warning";
    /** Request fields the answering provider could not honour and ignored, comma-separated. */
    public static final String IGNORED_PARAMS = "X-TokenHub-Ignored-Params";

    /** Internal: the {@link InternalSignature} proving a call comes from gateway-service, unchanged. */
    public static final String INTERNAL_SIGNATURE = "X-TokenHub-Internal-Signature";
    /** Internal: when the gateway signed the call, in Unix seconds; old signatures are refused. */
    public static final String INTERNAL_TIMESTAMP = "X-TokenHub-Internal-Timestamp";
    /**
     * Internal, routing to gateway: the tokens a request used, input plus output, a trailer on streams; the gateway
     * settles its tokens-per-minute reservation with it and never relays it.
     */
    public static final String USAGE_TOKENS = "X-TokenHub-Usage-Tokens";
    /** Internal: the account the gateway authenticated. */
    public static final String ACCOUNT_ID = "X-TokenHub-Account-Id";
    /** Internal: the id of the API key the gateway authenticated. */
    public static final String KEY_ID = "X-TokenHub-Key-Id";
    /** Internal: that key's name, percent-encoded UTF-8 (RFC 3986), as its owner gave it. */
    public static final String KEY_NAME = "X-TokenHub-Key-Name";
    /**
     * Internal: the client's own {@code X-Inferoute-Request-Id}, a correlation id; on the hop {@link #REQUEST_ID}
     * carries the id the gateway made, which billing deduplicates on.
     */
    public static final String CLIENT_REQUEST_ID = "X-TokenHub-Client-Request-Id";

    private TokenHubHeaders() {}
}
