package io.tokenhub.gateway.keys;

import java.math.BigDecimal;

/**
 * Who a verified API key speaks for.
 *
 * @param keyId the key's public id
 * @param accountId the account it belongs to
 * @param keyName the name its owner gave it, for usage by key
 * @param monthlyBudgetUsd the key's monthly spend limit in USD, or null for none
 */
public record KeyPrincipal(String keyId, String accountId, String keyName, BigDecimal monthlyBudgetUsd) {}
