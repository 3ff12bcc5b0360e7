package io.tokenhub.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything gateway-service reads from {@code tokenhub.*}. */
@ConfigMapping(prefix = "tokenhub")
public interface GatewayConfig {

    /** The hop to routing-service. */
    Gateway gateway();

    /** The key that signs the internal hop. */
    Internal internal();

    /** Request limits at the edge. */
    Limits limits();

    /** API key verification. */
    Keys keys();

    /** Requests and tokens per minute, per key and per account. */
    RateLimits rateLimits();

    /** The demo account of the local run. */
    Demo demo();

    interface Gateway {

        /** Base URL of routing-service, e.g. http://routing-service:8081. */
        @WithDefault("http://localhost:8081")
        String routingUrl();

        /** Whether the hop speaks HTTP/2 (h2c with prior knowledge on http, ALPN on https); false is HTTP/1.1. */
        @WithDefault("true")
        boolean routingHttp2();

        /**
         * HTTP/2 connections to routing-service at most in each event loop's pool; the replica's requests in flight are
         * bounded by this times {@code routing-http2-max-streams}, past which requests get 503 at once.
         */
        @WithDefault("4")
        int routingHttp2MaxConnections();

        /**
         * Requests in flight on one HTTP/2 connection to routing-service at most (fewer when routing-service allows
         * fewer); times {@code routing-http2-max-connections} it bounds this replica as {@code routing-max-connections}
         * does over HTTP/1.1.
         */
        @WithDefault("2500")
        int routingHttp2MaxStreams();

        /**
         * Age at which an HTTP/2 connection to routing-service takes no new requests and is replaced, so routing pods
         * added since get their share; its requests in flight run to their end.
         */
        @WithDefault("2m")
        Duration routingHttp2MaxConnectionAge();

        /** HTTP/1.1 connections to routing-service at most, one per request in flight; past it 503 at once. */
        @WithDefault("10000")
        int routingMaxConnections();
    }

    interface Internal {

        /** Key of the HMAC signing every call to routing-service (never sent); routing-service must accept it. */
        String secret();
    }

    interface Limits {

        /** Largest request body accepted, in bytes; larger ones get 413. */
        @WithDefault("4194304")
        int maxBodyBytes();

        /** Deepest nesting of JSON objects and arrays accepted in a request body; deeper ones get 400. */
        @WithDefault("64")
        int maxJsonDepth();

        /** Most entries in a chat request's {@code messages}; more get 400. */
        @WithDefault("2048")
        int maxMessages();

        /** Most entries in an embeddings request's {@code input} (OpenAI's own limit); more get 400. */
        @WithDefault("2048")
        int maxEmbeddingInputs();

        /** Largest request head (request line and all headers), in bytes; larger ones get 431. */
        @WithDefault("16384")
        int maxHeaderBytes();

        /** Most request headers; more get 431. */
        @WithDefault("100")
        int maxHeaders();

        /** Time a client has to send the whole body once its headers are in; slower ones get 408. */
        @WithDefault("30s")
        Duration bodyTimeout();

        /** Time a client has to send a complete request head once connected or between two requests; after it 408. */
        @WithDefault("20s")
        Duration headerTimeout();
    }

    interface Keys {

        /** How long a verified key is trusted before it is read again; bounds how late a revocation takes effect. */
        @WithDefault("5s")
        Duration cacheTtl();

        /** Keys kept in the verification cache at most. */
        @WithDefault("100000")
        long cacheSize();

        /** How often last-used times are written to the database, in one batch. */
        @WithDefault("30s")
        Duration lastUsedFlush();

        /** Database lookups of keys not in memory running at once at most; well below the connection pool's size. */
        @WithDefault("8")
        int lookupConcurrency();

        /** Lookups waiting for their turn at most; a request that finds no room gets 503 with Retry-After. */
        @WithDefault("1000")
        int lookupQueue();

        /** Longest a request waits for its key's lookup, queue included; after it 503 with Retry-After. */
        @WithDefault("1s")
        Duration lookupTimeout();

        /** Ids found not to exist, remembered for {@code cache-ttl} so a repeated guess costs no lookup. */
        @WithDefault("10000")
        long unknownCacheSize();

        /** Failed authentications of well-formed keys per minute per client address before 429; 0 means no limit. */
        @WithDefault("60")
        long failedAuthPerMinute();

        /** Client addresses whose failed authentications are counted at most; the least active are forgotten first. */
        @WithDefault("100000")
        long failedAuthAddresses();
    }

    interface RateLimits {

        /** Whether requests are counted and limited at all. */
        @WithDefault("true")
        boolean enabled();

        /** The plan of every account not named in {@code accounts}. */
        @WithDefault("default")
        String defaultPlan();

        /** Plans by name. */
        Map<String, Plan> plans();

        /** The plan of particular accounts, by account id. */
        Map<String, String> accounts();

        /**
         * Shared store for the counters, e.g. redis://redis:6379; every replica pointed at the same store shares the
         * limits. Unset keeps the counters in this process only (one replica).
         */
        Optional<String> redisUrl();

        /** Password of that store, kept out of the URL so it can come from a Secret of its own. */
        Optional<String> redisPassword();

        /** How often a replica pushes what it counted to the shared store and reads what the others counted. */
        @WithDefault("100ms")
        Duration syncInterval();

        /** A counter not synchronised for this long is read from the store again before it decides a request. */
        @WithDefault("2s")
        Duration staleAfter();

        /** Longest wait for the store when a counter must be read first; after it the replica decides alone. */
        @WithDefault("250ms")
        Duration storeTimeout();

        /**
         * Output tokens a chat request reserves when it sets no {@code max_tokens} (nor {@code max_completion_tokens},
         * {@code max_output_tokens}); the real usage replaces the reservation once the answer is complete.
         */
        @WithDefault("1024")
        long defaultOutputTokens();

        /** {@code default-output-tokens} for particular models, by the name clients send without a provider prefix. */
        Map<String, Long> defaultOutputTokensByModel();

        /** Prefix of the counters' keys in the store; the braces keep them in one Redis Cluster slot. */
        @WithDefault("{tokenhub-rl}:")
        String keyPrefix();
    }

    /** Limits of one plan; 0 means no limit on that dimension. */
    interface Plan {

        /** Requests per minute for each API key. */
        @WithDefault("0")
        long keyRequestsPerMinute();

        /** Tokens per minute for each API key (see README: how tokens are counted). */
        @WithDefault("0")
        long keyTokensPerMinute();

        /** Requests per minute for the whole account, all its keys together. */
        @WithDefault("0")
        long accountRequestsPerMinute();

        /** Tokens per minute for the whole account, all its keys together. */
        @WithDefault("0")
        long accountTokensPerMinute();
    }

    interface Demo {

        /** Create a demo account and key at start when none exists (local run only). */
        @WithDefault("false")
        boolean enabled();

        /** The demo account id. */
        @WithDefault("demo")
        String account();

        /** Where the demo key is written (mode 600) for the launcher to print; unset means it is logged once. */
        Optional<String> keyFile();
    }
}
