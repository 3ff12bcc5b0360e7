package io.tokenhub.common.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * One account's spend in a UTC month as billing-service's ledger has it, with the account's monthly budget: the value
 * of the compacted topic {@link Topics#SPEND} (key: account id). The gateway enforces budgets from the latest one.
 * Money travels as decimal strings, never through a double.
 *
 * @param accountId whose spend it is
 * @param month the UTC month it covers; a record of an earlier month means nothing was spent this month yet
 * @param spentUsd the month's total of ledger lines (provider cost plus routing fee), adjustments included
 * @param budgetUsd the account's monthly budget, or null for none
 * @param keys the same total per API key that spent anything this month
 * @param updatedAt when billing computed it
 */
public record AccountSpend(
        @JsonProperty("account_id") String accountId,

        @JsonProperty("month") @JsonFormat(shape = JsonFormat.Shape.STRING)
        YearMonth month,

        @JsonProperty("spent_usd") @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal spentUsd,

        @JsonProperty("budget_usd") @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal budgetUsd,

        @JsonProperty("keys") List<KeySpend> keys,
        @JsonProperty("updated_at") Instant updatedAt) {

    public AccountSpend {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /**
     * One key's share of the month's spend.
     *
     * @param keyId the API key's id
     * @param spentUsd what requests made with it cost this month
     */
    public record KeySpend(
            @JsonProperty("key_id") String keyId,

            @JsonProperty("spent_usd") @JsonFormat(shape = JsonFormat.Shape.STRING)
            BigDecimal spentUsd) {}
}
