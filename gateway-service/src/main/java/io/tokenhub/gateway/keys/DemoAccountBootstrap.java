package io.tokenhub.gateway.keys;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.tokenhub.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The local run's first start makes a demo account with one key, so a new user can call the API at once. The key is
 * written to a file only its owner can read, for the launcher to print; it is never stored in clear anywhere else.
 * Off unless {@code tokenhub.demo.enabled} is true.
 */
@ApplicationScoped
public class DemoAccountBootstrap {

    private final GatewayConfig config;
    private final ApiKeyService keys;

    public DemoAccountBootstrap(GatewayConfig config, ApiKeyService keys) {
        this.config = config;
        this.keys = keys;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        String account = config.demo().account();
        if (!keys.list(account).isEmpty()) {
            Log.infof("demo account %s already has a key; not creating another", account);
            return;
        }
        ApiKeyService.Created created = keys.create(account, "demo", null, null);
        if (config.demo().keyFile().isPresent()) {
            write(Path.of(config.demo().keyFile().get()), created.secret());
            Log.infof(
                    "demo account %s created; its key is in %s",
                    account, config.demo().keyFile().get());
        } else {
            Log.warnf("demo account %s created with key %s (demo only: shown once)", account, created.secret());
        }
    }

    private static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo key file", e);
        }
    }
}
