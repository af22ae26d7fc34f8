package app.lockin.database;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;

/**
 * Java enums to the schema's PostgreSQL enum types, whose labels are the
 * constants' names in lower case ({@code OWNER} is {@code 'owner'}).
 */
public abstract class LowerCaseEnumConverter<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Class<E> type;

    protected LowerCaseEnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public E convertToEntityAttribute(String value) {
        return value == null ? null : Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }
}
