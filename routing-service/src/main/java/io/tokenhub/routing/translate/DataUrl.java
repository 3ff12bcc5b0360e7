package io.tokenhub.routing.translate;

import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import java.util.Locale;
import java.util.Optional;

/**
 * An image sent inline as an RFC 2397 {@code data:} URL, the form OpenAI accepts for {@code image_url.url}.
 *
 * @param mediaType e.g. {@code image/png}, lower case
 * @param base64 the payload, still base64-encoded
 */
public record DataUrl(String mediaType, String base64) {

    /** The URL as a data URL, empty when it is not one; a data URL that is not base64 is refused. */
    public static Optional<DataUrl> parse(String url, String param) {
        if (url == null || !url.regionMatches(true, 0, "data:", 0, 5)) {
            return Optional.empty();
        }
        int comma = url.indexOf(',');
        String meta = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "Invalid image data URL: expected 'data:<media type>;base64,<data>'.", param));
        }
        String mediaType = meta.substring(0, meta.length() - ";base64".length()).toLowerCase(Locale.ROOT);
        int semicolon = mediaType.indexOf(';');
        return Optional.of(
                new DataUrl(semicolon < 0 ? mediaType : mediaType.substring(0, semicolon), url.substring(comma + 1)));
    }
}
