package io.tokenhub.simulator;

import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers in the providers' shapes; ThreadLocalRandom keeps them cheap on the event loop. */
public final class Ids {

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    private Ids() {}

    public static String alphanumeric(int length) {
        return random(ALPHANUMERIC, length);
    }

    public static String hex(int length) {
        return random(HEX, length);
    }

    private static String random(String alphabet, int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out);
    }
}
