package io.tokenhub.gateway.keys;

/**
 * Who a verified API key speaks for.
 *
 * @param keyId the key's public id
 * @param accountId the account it belongs to
 * @param keyName the name its owner gave it, for usage by key
 */
public record KeyPrincipal(String keyId, String accountId, String keyName) {}
