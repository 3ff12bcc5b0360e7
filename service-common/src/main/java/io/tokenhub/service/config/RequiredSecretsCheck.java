package io.tokenhub.service.config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Uses {@link RequiredSecrets}, which is what registers the mapping: Quarkus then resolves every entry while it builds
 * the configuration, before any extension connects anywhere, and stops at the first one that is missing.
 */
@ApplicationScoped
class RequiredSecretsCheck {

    void started(@Observes StartupEvent event, RequiredSecrets required) {
        Log.debugf("required secrets present: %s", required.secrets().keySet());
    }
}
