package io.tokenhub.service.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/**
 * Secrets a service cannot run without. Quarkus treats a database password or an OIDC cookie key as optional, so a
 * missing one would let a service start on no password or a guessable default; naming them here as expressions
 * ({@code tokenhub.required.secrets.database-password=${quarkus.datasource.password}}) makes Quarkus refuse to start,
 * before any connection is tried, with a message naming the setting that is missing.
 */
@ConfigMapping(prefix = "tokenhub.required")
public interface RequiredSecrets {

    /** Each secret this service needs, by a name of its own, as an expression of the setting it must have. */
    Map<String, String> secrets();
}
