package app.lockin.database;

import java.util.Locale;
import java.util.UUID;

/**
 * Java enums and the labels of the schema's PostgreSQL enum types, which are
 * the constants' names in lower case ({@code OWNER} is {@code 'owner'}).
 * Entities keep such columns as their label and give the enum from their
 * accessors: plain string columns that every JPA provider maps the same way
 * (the JDBC connection sends strings untyped, so PostgreSQL casts them).
 * Nullable uuid columns are kept as text the same way: EclipseLink 4.0's
 * UUID conversion throws on a null value.
 */
public final class Labels {

    private Labels() {
    }

    public static String of(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    public static String of(UUID id) {
        return id == null ? null : id.toString();
    }

    public static UUID uuid(String text) {
        return text == null ? null : UUID.fromString(text);
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String label) {
        return label == null ? null : Enum.valueOf(type, label.toUpperCase(Locale.ROOT));
    }
}
