package io.tokenhub.infra.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.infra.OtlpReceiver;
import java.util.Map;

/**
 * Turns a service's traces on for {@code *IT} tests and points them at an in-process {@link OtlpReceiver}, one per
 * test JVM: exactly the runtime switches an operator sets (docs/operations.md, Traces), plus a short batch delay so
 * spans arrive within a test's patience.
 */
public class OtlpTestResource implements QuarkusTestResourceLifecycleManager {

    private static OtlpReceiver receiver;

    /** The running receiver, starting it on first use. */
    public static synchronized OtlpReceiver receiver() {
        if (receiver == null) {
            receiver = OtlpReceiver.start();
            Runtime.getRuntime().addShutdownHook(new Thread(receiver::close, "otlp-receiver-stop"));
        }
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.traces.endpoint", receiver().endpoint(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "100ms");
    }

    @Override
    public void stop() {
        // Shared with later test classes of this JVM; its shutdown hook stops it when the JVM ends.
    }
}
