package io.tokenhub.service.auth;

import jakarta.json.JsonString;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one reading of an account id, from a token claim or a {@code ?account=} parameter: trimmed, then 1 to 128
 * letters, digits, {@code .}, {@code _}, {@code :}, {@code @} or {@code -} (the keys table's {@code varchar(128)}).
 * Anything else names no account, so a malformed claim can never match, or be confused with, a real one.
 */
public final class AccountIds {

    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private AccountIds() {}

    /**
     * The account a claim names. smallrye-jwt hands custom string claims back as {@code String} or as
     * {@code JsonString} depending on the claim; any other type (a number, an array) names no account.
     */
    public static Optional<String> fromClaim(Object claim) {
        if (claim instanceof JsonString json) {
            return parse(json.getString());
        }
        return claim instanceof String text ? parse(text) : Optional.empty();
    }

    /** The account {@code text} names, empty when it is absent, blank or not an account id. */
    public static Optional<String> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        return ACCOUNT.matcher(trimmed).matches() ? Optional.of(trimmed) : Optional.empty();
    }
}
