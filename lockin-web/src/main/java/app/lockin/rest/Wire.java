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

    /** The constant of the enum spelled so on the wire, if any. */
    public static <E extends Enum<E>> java.util.Optional<E> constant(Class<E> type, String wire) {
        for (E candidate : type.getEnumConstants()) {
            if (name(candidate).equals(wire)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /** Every constant of the enum as spelled on the wire, in declaration order. */
    public static <E extends Enum<E>> java.util.List<String> names(Class<E> type) {
        return java.util.Arrays.stream(type.getEnumConstants()).map(Wire::name).toList();
    }
}
