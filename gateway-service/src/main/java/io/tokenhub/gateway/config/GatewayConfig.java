package io.tokenhub.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything gateway-service reads from {@code tokenhub.*}. */
@ConfigMapping(prefix = "tokenhub")
public interface GatewayConfig {

    /** The hop to routing-service. */
    Gateway gateway();

    /** The shared secret of the internal hop. */
    Internal internal();

    /** Request limits at the edge. */
    Limits limits();

    /** API key verification. */
    Keys keys();

    /** Dashboard authentication. */
    Auth auth();

    /** The demo account of the local run. */
    Demo demo();

    interface Gateway {

        /** Base URL of routing-service, e.g. http://routing-service:8081. */
        @WithDefault("http://localhost:8081")
        String routingUrl();

        /** Connections kept open to routing-service at most. */
        @WithDefault("512")
        int routingMaxConnections();
    }

    interface Internal {

        /** Shared secret sent to routing-service on every call; the same value must be set there. */
        String secret();
    }

    interface Limits {

        /** Largest request body accepted, in bytes; larger ones get 413. */
        @WithDefault("4194304")
        int maxBodyBytes();
    }

    interface Keys {

        /** How long a verified key is trusted before it is read again; bounds how late a revocation takes effect. */
        @WithDefault("5s")
        Duration cacheTtl();

        /** Keys kept in the verification cache at most. */
        @WithDefault("100000")
        long cacheSize();
    }

    interface Auth {

        /** The token claim that names the caller's account. */
        @WithDefault("tokenhub_account")
        String accountClaim();

        /** The role that may act on every account. */
        @WithDefault("tokenhub-admin")
        String adminRole();
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
