package io.tokenhub.health.leader;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows in {@code /q/health/ready} which replica leads. Always UP: a replica that does not lead still serves the
 * status API and stands by to take over.
 */
@Readiness
@ApplicationScoped
public class LeadershipHealthCheck implements HealthCheck {

    private final Leadership leadership;

    public LeadershipHealthCheck(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("leader-election")
                .up()
                .withData("identity", leadership.identity())
                .withData("leader", leadership.isLeader())
                .withData("current-leader", leadership.currentLeader().orElse("none"))
                .build();
    }
}
