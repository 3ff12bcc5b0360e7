package io.tokenhub.gateway.keys;

/**
 * Who a verified API key speaks for.
 *
 * @param keyId the key's public id
 * @param accountId the account it belongs to
 */
public record KeyPrincipal(String keyId, String accountId) {}
