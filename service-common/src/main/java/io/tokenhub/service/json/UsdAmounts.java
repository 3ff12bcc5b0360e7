package io.tokenhub.service.json;

import io.tokenhub.common.pricing.Money;
import io.tokenhub.service.error.ApiException;
import java.math.BigDecimal;

/** US dollar amounts a client sends (budgets): decimal strings, read exactly as ledger amounts or refused by name. */
public final class UsdAmounts {

    private UsdAmounts() {}

    /** The amount in {@code text}, at the ledger's scale; null stays null; anything else is a 400 naming {@code param}. */
    public static BigDecimal parse(String text, String param) {
        if (text == null) {
            return null;
        }
        try {
            return Money.exact(new BigDecimal(text.trim()), param);
        } catch (IllegalArgumentException e) {
            // NumberFormatException is an IllegalArgumentException too.
            throw ApiException.badRequest(
                    param,
                    "invalid_value",
                    "'" + param + "' must be a decimal string of US dollars, not negative, with at most " + Money.SCALE
                            + " decimals.");
        }
    }
}
