package io.tokenhub.routing.usage;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The usage spool's backlog on {@code /q/health/ready}, for an operator to see what waits for Kafka. Always UP: every
 * replica shares the one Kafka cluster, so a replica that went unready on a backlog would take all of them out of the
 * Service at once during a Kafka outage, while the spool is exactly what lets them keep answering; a full spool sheds
 * new requests with 503 instead, request by request.
 */
@Readiness
@Singleton
public class UsageSpoolHealth implements HealthCheck {

    private final UsagePublisher publisher;

    public UsageSpoolHealth(UsagePublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        UsageSpool.Backlog backlog = publisher.backlog();
        return HealthCheckResponse.named("usage-spool")
                .up()
                .withData("pending_events", backlog.events())
                .withData("pending_bytes", backlog.bytes())
                .withData("max_bytes", publisher.maxBytes())
                .withData("accepting_requests", backlog.bytes() < publisher.maxBytes())
                .build();
    }
}
