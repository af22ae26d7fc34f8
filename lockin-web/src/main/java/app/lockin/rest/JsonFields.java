package app.lockin.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import app.lockin.rules.FieldError;
import app.lockin.rules.Invalid;

/**
 * Reading a request body (a JSON object) field by field: which fields are
 * there (in a partial update, PATCH, an absent field means "unchanged" and
 * {@code null} means "clear"), each field's type, and refusing (422) fields
 * that are unknown or read-only.
 */
public final class JsonFields {

    private final JsonObject body;

    private JsonFields(JsonObject body) {
        this.body = body;
    }

    /** The body, once it has only {@code writable} fields; each other field is named in a 422. */
    public static JsonFields of(JsonValue value, Set<String> writable, Set<String> readOnly) {
        if (!(value instanceof JsonObject body)) {
            throw new Invalid("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        for (String name : body.keySet()) {
            if (readOnly.contains(name)) {
                errors.add(new FieldError(name, "is read-only"));
            } else if (!writable.contains(name)) {
                errors.add(new FieldError(name, "is not a known field"));
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new JsonFields(body);
    }

    public boolean has(String name) {
        return body.containsKey(name);
    }

    /** A string field that may not be null; empty when absent. */
    public Optional<String> string(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonValue value = body.get(name);
        if (value instanceof JsonString s) {
            return Optional.of(s.getString());
        }
        throw new Invalid(name, value.getValueType() == JsonValue.ValueType.NULL ? "may not be null" : "must be a string");
    }

    /** A string field that may be null (to clear it); empty when absent. */
    public Optional<Optional<String>> nullableString(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonValue value = body.get(name);
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.of(Optional.empty());
        }
        if (value instanceof JsonString s) {
            return Optional.of(Optional.of(s.getString()));
        }
        throw new Invalid(name, "must be a string or null");
    }

    /** A whole-number field that may not be null; empty when absent. */
    public Optional<Long> integer(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonValue value = body.get(name);
        if (value instanceof JsonNumber n && n.isIntegral()) {
            try {
                return Optional.of(n.longValueExact());
            } catch (ArithmeticException e) {
                throw new Invalid(name, "is out of range");
            }
        }
        throw new Invalid(name, value.getValueType() == JsonValue.ValueType.NULL ? "may not be null" : "must be a whole number");
    }
}
