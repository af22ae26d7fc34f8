package app.lockin.config;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. Each {@code jakarta.json.Json.create...}
 * call looks the provider up again through {@code ServiceLoader}, which under
 * Payara's class loaders reads every jar of the application: 45 % of the
 * server's CPU while it delivered pushes (BENCHMARKS.md, push round 2). Build
 * JSON through {@link #PROVIDER} (or a factory made from it) instead.
 */
public final class SharedJson {

    public static final JsonProvider PROVIDER = JsonProvider.provider();

    private SharedJson() {
    }
}
