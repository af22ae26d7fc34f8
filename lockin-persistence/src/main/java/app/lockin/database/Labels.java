package app.lockin.database;

import java.util.Locale;

/**
 * Java enums and the labels of the schema's PostgreSQL enum types, which are
 * the constants' names in lower case ({@code OWNER} is {@code 'owner'}).
 * Entities keep such columns as their label and give the enum from their
 * accessors: plain string columns that every JPA provider maps the same way
 * (the JDBC connection sends strings untyped, so PostgreSQL casts them).
 */
public final class Labels {

    private Labels() {
    }

    public static String of(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String label) {
        return label == null ? null : Enum.valueOf(type, label.toUpperCase(Locale.ROOT));
    }
}
