package io.tokenhub.dashboard.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.tokenhub.service.auth.Caller;
import jakarta.enterprise.context.RequestScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Who is looking and at which account, for every page: a member sees its own account, an administrator any account
 * it names with {@code ?account=} (the account switcher). The check is service-common's {@link Caller}, the one the
 * services apply too.
 */
@RequestScoped
public class View {

    private final Caller caller;
    private final SecurityIdentity identity;

    public View(Caller caller, SecurityIdentity identity) {
        this.caller = caller;
        this.identity = identity;
    }

    /** The signed-in user's name, as a support message's author. */
    public String userName() {
        return identity.getPrincipal().getName();
    }

    /**
     * The page's frame: the account shown, whether the user is an administrator, the page's name for the navigation.
     *
     * @param account the account the page shows
     * @param admin whether the switcher is offered
     * @param page which navigation entry is current
     */
    public record Frame(String account, boolean admin, String page) {

        /** {@code ?account=} to keep on links, so an administrator stays on the account it switched to. */
        public String query() {
            return "?account=" + URLEncoder.encode(account, StandardCharsets.UTF_8);
        }
    }

    /** The frame for {@code page} at the {@code requested} account; a 403 when the user may not see it. */
    public Frame frame(String page, String requested) {
        return new Frame(caller.account(requested), caller.isAdmin(), page);
    }
}
