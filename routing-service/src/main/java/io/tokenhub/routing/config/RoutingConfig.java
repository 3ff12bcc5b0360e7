package io.tokenhub.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tokenhub.common.pricing.RoutingFees;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything routing-service reads from {@code tokenhub.*}. */
@ConfigMapping(prefix = "tokenhub")
public interface RoutingConfig {

    /** Upstream providers by wire name: openai, anthropic, google, mistral, meta. */
    Map<String, ProviderConfig> providers();

    /** The hop from gateway-service. */
    Internal internal();

    /** Where the model catalog comes from. */
    CatalogSource catalog();

    /** Request limits. */
    Limits limits();

    /** Answering from an equivalent model when a provider fails. */
    Fallback fallback();

    /** What the caller is shown a request cost, priced as billing-service prices it. */
    Billing billing();

    /** How usage events reach Kafka. */
    Usage usage();

    interface Usage {

        /** The durable local spool every usage event is written to before the client gets its last byte. */
        Spool spool();
    }

    interface Spool {

        /** Directory of the spool's segments and checkpoint; one per routing replica, on a volume that outlives it. */
        @WithDefault("usage-spool")
        String dir();

        /** Unsent bytes at which new requests are refused with 503 so no answered request's event is ever dropped. */
        @WithDefault("536870912")
        long maxBytes();

        /** Size at which a segment is closed and a new one started; acknowledged segments are deleted whole. */
        @WithDefault("16777216")
        long segmentBytes();

        /** When appends are forced to disk: never (page cache, survives a process kill), periodic, or always. */
        @WithDefault("never")
        SpoolFsync fsync();

        /** How often the sender forces the spool to disk when {@code fsync} is {@code periodic}. */
        @WithDefault("1s")
        Duration fsyncInterval();

        /** Longest a stopping replica keeps sending its backlog; what is left stays in the spool for the next start. */
        @WithDefault("10s")
        Duration drainTimeout();
    }

    /** When the spool forces its appends to disk. */
    enum SpoolFsync {
        /** Never: a write in the OS page cache survives SIGKILL and OOM kills, not a kernel crash or power loss. */
        NEVER,
        /** Every {@code fsync-interval}, on the sender thread: a power loss loses at most that interval. */
        PERIODIC,
        /** After every append, before the answer: survives power loss, at the cost of one fsync per request. */
        ALWAYS
    }

    interface Billing {

        /**
         * Routing fee per answered request in USD, in force since the epoch until the first of {@link #routingFees()};
         * the same key and value as billing-service's, so {@code usage.cost} equals the ledger line.
         */
        @WithDefault("0.0001")
        BigDecimal routingFeeUsd();

        /** Later routing fees, each in force from its instant until the next; the same list as billing-service's. */
        List<RoutingFees.Dated> routingFees();
    }

    /** One more endpoint of a provider, in a region of its own. */
    interface RegionalEndpoint {

        /** Base URL as the provider's official SDK defines it for this endpoint. */
        String baseUrl();

        /** Region where this endpoint processes requests. */
        String region();

        /** TokenHub's key at this endpoint, when it is not the provider's {@code api-key}. */
        Optional<String> apiKey();
    }

    interface ProviderConfig {

        /** Base URL as the provider's official SDK defines it; TokenHub appends the same paths the SDK does. */
        Optional<String> baseUrl();

        /** TokenHub's key at this provider; never shown to or accepted from clients. */
        Optional<String> apiKey();

        /**
         * Region where the base URL's endpoint processes requests (for example {@code us}, {@code eu}): an account
         * restricted to a region is only routed to endpoints in it; {@code global} for an endpoint that may process
         * anywhere.
         */
        @WithDefault("global")
        String region();

        /**
         * More endpoints of this provider by name, each in its own region (for example OpenAI's EU one), sharing the
         * provider's timeouts, pools and breaker settings; each has its own pool and breaker.
         */
        Map<String, RegionalEndpoint> endpoints();

        /** Time allowed until the response head arrives; a stall before the first byte fails after it. */
        @WithDefault("60s")
        Duration timeout();

        /** Longest silence allowed inside a stream once it started; after it the client gets an error event. */
        @WithDefault("120s")
        Duration streamIdleTimeout();

        /** Time allowed to open a TCP (and TLS) connection. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * Whether calls use HTTP/2, many multiplexed on one connection: negotiated by ALPN on https (HTTP/1.1 when the
         * provider declines), spoken with prior knowledge on plain http, so a plain-http endpoint must speak h2c.
         */
        @WithDefault("true")
        boolean http2();

        /**
         * With {@code http2}, whether a request body larger than the stream window the provider's HTTP/2 connections
         * grant goes over HTTP/1.1 instead, where it is not held to one window update per round trip.
         */
        @WithDefault("true")
        boolean largeBodiesOverHttp1();

        /**
         * HTTP/2 connections kept open to this provider at most by each event loop, each carrying as many calls as the
         * provider's {@code SETTINGS_MAX_CONCURRENT_STREAMS} allows; times that limit it must exceed
         * {@code limits.max-in-flight}, since one loop may carry every call.
         */
        @WithDefault("128")
        int http2MaxConnections();

        /**
         * HTTP/1.1 connections kept open to this provider at most by each event loop, one per call in flight; a call
         * past them is refused at once rather than queued, so it must not be below {@code limits.max-in-flight}.
         */
        @WithDefault("10000")
        int maxConnections();

        /** Calls in the rolling window before the circuit breaker may open. */
        @WithDefault("20")
        int circuitBreakerVolume();

        /** Share of failed calls in the window that opens the circuit breaker. */
        @WithDefault("0.5")
        double circuitBreakerFailureRatio();

        /** How long an open circuit breaker refuses calls before letting one through. */
        @WithDefault("10s")
        Duration circuitBreakerDelay();
    }

    interface Internal {

        /** Key of the HMAC gateway-service signs every call with; unsigned or wrongly signed calls are refused. */
        String secret();

        /** Further keys whose signatures are accepted too, while a new secret is rolled out (docs/operations.md). */
        Optional<List<String>> acceptedSecrets();

        /** How far a call's signing time may lie from this replica's clock; older recordings are refused. */
        @WithDefault("30s")
        Duration maxClockSkew();
    }

    interface CatalogSource {

        /** Catalog YAML replacing the built-in one (a mounted ConfigMap in Kubernetes). */
        Optional<String> path();
    }

    interface Fallback {

        /** How long one request may keep trying providers; no new attempt starts after it. */
        @WithDefault("120s")
        Duration deadline();
    }

    interface Limits {

        /** Largest request body accepted, in bytes. */
        @WithDefault("4194304")
        int maxBodyBytes();

        /**
         * Requests calling a provider that this replica serves at once; past it a request gets 503 with Retry-After
         * instead of waiting. Sized by memory: each costs its body plus some 10 to 20 KB of buffers and state.
         */
        @WithDefault("10000")
        int maxInFlight();
    }
}
