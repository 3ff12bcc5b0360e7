package io.tokenhub.billing.access;

import java.util.Optional;

/**
 * Whose data a request may see.
 *
 * @param account the one account in view; empty only for an administrator looking at every account
 */
public record AccountScope(Optional<String> account) {

    public static AccountScope of(String account) {
        return new AccountScope(Optional.of(account));
    }

    public static AccountScope everyAccount() {
        return new AccountScope(Optional.empty());
    }
}
