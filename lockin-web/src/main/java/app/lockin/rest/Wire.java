package app.lockin.rest;

import java.util.Locale;

/** Names of domain values on the wire. */
public final class Wire {

    private Wire() {
    }

    /** An enum constant as the API spells it: {@code OWNER} is {@code "owner"}. */
    public static String name(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }
}
