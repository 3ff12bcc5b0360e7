package io.tokenhub.suite;

/** The path part of each provider's production base URL (docs/api.md), which the simulators serve alike. */
final class SimulatorPaths {

    private SimulatorPaths() {}

    static String basePath(String provider) {
        return switch (provider) {
            case "openai" -> "/v1";
            case "meta" -> "/compat/v1";
            case "anthropic", "google", "mistral" -> "";
            default -> throw new IllegalArgumentException("unknown provider " + provider);
        };
    }
}
