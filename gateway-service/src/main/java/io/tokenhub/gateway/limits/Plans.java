package io.tokenhub.gateway.limits;

import io.tokenhub.gateway.config.GatewayConfig;
import java.util.Map;

/** Which plan's limits apply to an account: its own entry in {@code accounts}, else the default plan. */
final class Plans {

    private final Map<String, GatewayConfig.Plan> plans;
    private final Map<String, String> accounts;
    private final GatewayConfig.Plan fallback;

    Plans(GatewayConfig.RateLimits config) {
        this.plans = Map.copyOf(config.plans());
        this.accounts = Map.copyOf(config.accounts());
        this.fallback = plans.get(config.defaultPlan());
        if (config.enabled() && fallback == null) {
            throw new IllegalArgumentException("tokenhub.rate-limits.default-plan names plan '" + config.defaultPlan()
                    + "', which tokenhub.rate-limits.plans does not define");
        }
        accounts.forEach((account, plan) -> {
            if (!plans.containsKey(plan)) {
                throw new IllegalArgumentException("tokenhub.rate-limits.accounts." + account + " names plan '" + plan
                        + "', which tokenhub.rate-limits.plans does not define");
            }
        });
    }

    GatewayConfig.Plan of(String accountId) {
        String plan = accounts.get(accountId);
        return plan == null ? fallback : plans.get(plan);
    }
}
