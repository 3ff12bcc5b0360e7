package io.tokenhub.dashboard.support;

import io.tokenhub.service.error.ApiException;
import java.util.regex.Pattern;

/**
 * What a support message may hold: its text trimmed, 1 to {@link #MAX_BODY} characters (the column's limit), and
 * optionally one ledger request id, which must look like the ids the gateway makes or keeps.
 */
public final class SupportText {

    /** The longest message, in characters; the {@code support_message.body} column holds no more. */
    public static final int MAX_BODY = 4000;

    /** The gateway's sane request-id token: what can reach a ledger line as a request id at all. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private SupportText() {}

    /** The message text to store, or a 400 naming what is wrong (never echoing the text). */
    public static String body(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty()) {
            throw ApiException.badRequest("body", "empty_message", "Write a message first.");
        }
        // UTF-16 units, as a textarea's maxlength counts them; never more code points than the column holds.
        if (text.length() > MAX_BODY) {
            throw ApiException.badRequest(
                    "body", "message_too_long", "A message holds at most " + MAX_BODY + " characters.");
        }
        return text;
    }

    /** The attached request id, null when none is given; a 400 when it cannot be a request id. */
    public static String requestId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String id = raw.strip();
        if (!REQUEST_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "request_id",
                    "invalid_request_id",
                    "A request id is 1 to 128 letters, digits, '.', '_', ':' or '-'.");
        }
        return id;
    }
}
