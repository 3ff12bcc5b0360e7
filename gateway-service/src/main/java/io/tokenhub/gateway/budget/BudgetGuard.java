package io.tokenhub.gateway.budget;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenhub.common.events.AccountSpend;
import io.tokenhub.gateway.keys.KeyPrincipal;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Holds the monthly budgets of an account (set through billing) and of a key (set through the keys API) against this
 * UTC month's spend: a request once either is reached is refused, and from {@link #WARNING_SHARE} of either on it is
 * answered with a warning. The spend is billing's, so it trails the requests by billing's lag plus one publication
 * (about two seconds): requests in flight when a budget is reached still complete and are billed.
 */
@ApplicationScoped
public class BudgetGuard {

    /** Share of a budget from which responses carry {@code X-TokenHub-Budget-Warning}. */
    static final BigDecimal WARNING_SHARE = new BigDecimal("0.8");

    private final SpendBook book;
    private final Counter accountRefusals;
    private final Counter keyRefusals;

    public BudgetGuard(SpendBook book, MeterRegistry registry) {
        this.book = book;
        this.accountRefusals = refusals(registry, "account");
        this.keyRefusals = refusals(registry, "key");
    }

    private static Counter refusals(MeterRegistry registry, String scope) {
        return Counter.builder("tokenhub.budget.refusals")
                .description("Requests refused because a monthly budget was reached, by the budget's scope")
                .tag("scope", scope)
                .register(registry);
    }

    /** What the budgets say about one more request by {@code principal}. */
    public Verdict check(KeyPrincipal principal) {
        Optional<AccountSpend> spend = book.of(principal.accountId());
        if (spend.map(AccountSpend::budgetUsd).isEmpty() && principal.monthlyBudgetUsd() == null) {
            // Most requests: no budget at all, nothing to compare, and this runs on every request.
            return Verdict.NONE;
        }
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        // A record of an earlier month is the last word on the budget, but nothing is spent yet this month.
        boolean current = spend.filter(s -> month.equals(s.month())).isPresent();
        BigDecimal accountSpent = current ? spend.get().spentUsd() : BigDecimal.ZERO;
        BigDecimal keySpent = BigDecimal.ZERO;
        if (current) {
            for (AccountSpend.KeySpend key : spend.get().keys()) {
                if (key.keyId().equals(principal.keyId())) {
                    keySpent = key.spentUsd();
                    break;
                }
            }
        }
        List<Limit> limits = new ArrayList<>(2);
        spend.map(AccountSpend::budgetUsd).ifPresent(b -> limits.add(new Limit("account", b, accountSpent)));
        if (principal.monthlyBudgetUsd() != null) {
            limits.add(new Limit("key", principal.monthlyBudgetUsd(), keySpent));
        }
        Optional<Limit> reached = limits.stream().filter(Limit::reached).findFirst();
        reached.ifPresent(l -> (l.scope().equals("account") ? accountRefusals : keyRefusals).increment());
        List<Limit> near = limits.stream()
                .filter(l -> !l.reached() && l.spent().compareTo(l.budget().multiply(WARNING_SHARE)) >= 0)
                .toList();
        return new Verdict(reached, near);
    }

    /**
     * One budget against its spend.
     *
     * @param scope {@code account} or {@code key}
     * @param budget the limit for the month in USD
     * @param spent this month's spend in USD
     */
    public record Limit(String scope, BigDecimal budget, BigDecimal spent) {

        boolean reached() {
            return spent.compareTo(budget) >= 0;
        }

        /** As {@code X-TokenHub-Budget-Warning} names it: scope, spend and budget in USD. */
        public String header() {
            return scope + "; spent=" + spent.toPlainString() + "; budget=" + budget.toPlainString();
        }
    }

    /**
     * The budgets' answer.
     *
     * @param reached the first budget reached, which refuses the request
     * @param near budgets past their warning share but not reached
     */
    public record Verdict(Optional<Limit> reached, List<Limit> near) {

        /** Neither the account nor the key has a budget. */
        static final Verdict NONE = new Verdict(Optional.empty(), List.of());
    }
}
