package app.lockin.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import app.lockin.rules.FieldError;
import app.lockin.rules.Invalid;

/**
 * Reading a request body (a JSON object) field by field, collecting every
 * problem with the field's wire name: fields that are unknown or read-only,
 * and values of the wrong type. An absent field reads as empty; in a partial
 * update (PATCH) that means "unchanged", and the {@code nullable...} readers
 * tell an explicit {@code null} ("clear it") from absence. Call {@link #check()}
 * after reading: it throws {@link Invalid} (422) naming every problem found.
 */
public final class JsonFields {

    private static final java.math.BigDecimal MAX_INT = java.math.BigDecimal.valueOf(Integer.MAX_VALUE);

    private final JsonObject body;
    private final List<FieldError> errors = new ArrayList<>();

    private JsonFields(JsonObject body) {
        this.body = body;
    }

    /** The body, with an error for each field that is not {@code writable} (read-only ones named as such). */
    public static JsonFields of(JsonValue value, Set<String> writable, Set<String> readOnly) {
        if (!(value instanceof JsonObject object)) {
            throw new Invalid("body", "must be a JSON object");
        }
        JsonFields fields = new JsonFields(object);
        for (String name : object.keySet()) {
            if (readOnly.contains(name)) {
                fields.errors.add(new FieldError(name, "is read-only"));
            } else if (!writable.contains(name)) {
                fields.errors.add(new FieldError(name, "is not a known field"));
            }
        }
        return fields;
    }

    /** Throws 422 naming every problem found so far. */
    public void check() {
        Invalid.throwIfAny(errors);
    }

    public boolean has(String name) {
        return body.containsKey(name);
    }

    /** A string that may not be null, holding only characters the database can store. */
    public Optional<String> string(String name) {
        return nonNull(name).flatMap(value -> typed(name, value, JsonString.class, "a string").map(JsonString::getString))
                .flatMap(text -> storable(text) ? Optional.of(text)
                        : fail(name, "must not contain NUL (\\u0000) or unpaired surrogate characters"));
    }

    /**
     * False for text PostgreSQL cannot store: NUL, and UTF-16 surrogates that
     * do not pair up (JSON can spell both, {@code "\\u0000"}, {@code "\\ud800"}).
     */
    public static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A string that may be null (to clear it). */
    public Optional<Optional<String>> nullableString(String name) {
        return nullable(name, () -> string(name));
    }

    /** A whole number that may not be null. */
    public Optional<Integer> integer(String name) {
        return nonNull(name).flatMap(value -> typed(name, value, JsonNumber.class, "a whole number"))
                .flatMap(number -> {
                    if (!number.isIntegral() || number.bigDecimalValue().abs().compareTo(MAX_INT) > 0) {
                        return fail(name, "must be a whole number");
                    }
                    return Optional.of(number.intValue());
                });
    }

    /** A whole number that may be null (to clear it). */
    public Optional<Optional<Integer>> nullableInteger(String name) {
        return nullable(name, () -> integer(name));
    }

    /** An RFC 3339 timestamp with any offset ({@code 2026-11-24T09:30:00Z}). */
    public Optional<Instant> instant(String name) {
        return string(name).flatMap(text -> {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException e) {
                return fail(name, "must be an RFC 3339 timestamp such as 2026-11-24T09:30:00Z");
            }
        });
    }

    /** A UUID given as a string. */
    public Optional<UUID> uuid(String name) {
        return string(name).flatMap(text -> {
            try {
                return Optional.of(UUID.fromString(text));
            } catch (IllegalArgumentException e) {
                return fail(name, "must be a UUID");
            }
        });
    }

    /** A UUID that may be null. */
    public Optional<Optional<UUID>> nullableUuid(String name) {
        return nullable(name, () -> uuid(name));
    }

    /** One of an enum's constants, spelled in lower case on the wire ({@code "daily"}). */
    public <E extends Enum<E>> Optional<E> constant(String name, Set<E> allowed) {
        return string(name).flatMap(text -> {
            for (E candidate : allowed) {
                if (Wire.name(candidate).equals(text)) {
                    return Optional.of(candidate);
                }
            }
            return fail(name, "must be one of " + allowed.stream().map(Wire::name).sorted().toList());
        });
    }

    private Optional<JsonValue> nonNull(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonValue value = body.get(name);
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return fail(name, "may not be null");
        }
        return Optional.of(value);
    }

    private <T> Optional<Optional<T>> nullable(String name, java.util.function.Supplier<Optional<T>> read) {
        if (!has(name)) {
            return Optional.empty();
        }
        if (body.get(name).getValueType() == JsonValue.ValueType.NULL) {
            return Optional.of(Optional.empty());
        }
        int before = errors.size();
        Optional<T> value = read.get();
        return errors.size() > before ? Optional.empty() : Optional.of(value);
    }

    private <T extends JsonValue> Optional<T> typed(String name, JsonValue value, Class<T> type, String description) {
        if (type.isInstance(value)) {
            return Optional.of(type.cast(value));
        }
        return fail(name, "must be " + description);
    }

    private <T> Optional<T> fail(String name, String message) {
        errors.add(new FieldError(name, message));
        return Optional.empty();
    }
}
