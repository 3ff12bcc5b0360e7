package io.tokenhub.billing.access;

import io.tokenhub.service.auth.Caller;
import io.tokenhub.service.error.ApiException;
import jakarta.enterprise.context.RequestScoped;

/**
 * The accounts a billing read may cover, from service-common's {@link Caller}: the caller's own account, the one an
 * administrator names, or, for an administrator who names none, every account.
 */
@RequestScoped
public class CallerAccess {

    private final Caller caller;

    public CallerAccess(Caller caller) {
        this.caller = caller;
    }

    public boolean isAdmin() {
        return caller.isAdmin();
    }

    /** The scope for an optional {@code ?account=}: every account for an administrator who names none. */
    public AccountScope scope(String requestedAccount) {
        if (caller.isAdmin() && (requestedAccount == null || requestedAccount.isBlank())) {
            return AccountScope.everyAccount();
        }
        return AccountScope.of(caller.account(requestedAccount));
    }

    /** One account, for views that only make sense per account (an invoice): administrators must name it. */
    public String singleAccount(String requestedAccount) {
        AccountScope scope = scope(requestedAccount);
        return scope.account()
                .orElseThrow(() -> ApiException.badRequest(
                        "account",
                        "account_required",
                        "Name the account with ?account= (administrator tokens belong to no single account)."));
    }
}
