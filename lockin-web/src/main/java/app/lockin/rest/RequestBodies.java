package app.lockin.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import app.lockin.config.SharedJson;
import app.lockin.rules.FieldError;
import app.lockin.rules.Invalid;

/**
 * Request bodies bound to request records, strictly, in one place: a body is
 * one JSON object ({@link JsonBody}) whose fields are the record's components
 * in snake_case ({@link SnakeCase}); a field the record does not have, a
 * value of the wrong JSON type ({@code 1.5} or {@code "7"} for a whole number,
 * which JSON-B alone would coerce), text PostgreSQL cannot store, or a value
 * beyond its type's range is a 422 naming every such field. The record is
 * then bound by JSON-B and checked by Bean Validation ({@code @Valid} on the
 * resource's parameter). PATCH bodies are JSON Merge Patches (RFC 7396),
 * applied to the current state with {@link #merge}.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.USER - 200) // before JSON-B's own reader, which also takes application/json
// JSON (named, so that this reader wins over JSON-B's own for records), or an @OptionalBody of any type (isReadable)
@Consumes({MediaType.APPLICATION_JSON, RequestBodies.MERGE_PATCH, "application/*+json", MediaType.WILDCARD})
public class RequestBodies implements MessageBodyReader<Record> {

    /** RFC 7396's media type, accepted beside application/json on every PATCH. */
    public static final String MERGE_PATCH = "application/merge-patch+json";

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    /** Each request record's components by wire name, worked out once per class (not per request). */
    private static final ClassValue<Map<String, RecordComponent>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, RecordComponent> computeValue(Class<?> type) {
            Map<String, RecordComponent> byName = new LinkedHashMap<>();
            for (RecordComponent component : type.getRecordComponents()) {
                byName.put(SnakeCase.of(component.getName()), component);
            }
            return Map.copyOf(byName);
        }
    };

    @Inject
    Validator validator;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord() && (isJson(mediaType) || isOptional(annotations));
    }

    @Override
    public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        if (isOptional(annotations)) {
            JsonValue body = JsonBody.parseOptional(new String(entityStream.readAllBytes(), StandardCharsets.UTF_8));
            return bind(body == null ? JsonValue.EMPTY_JSON_OBJECT : body, type, representationOf(annotations));
        }
        return bind(JsonBody.parse(entityStream), type, representationOf(annotations));
    }

    private static Class<? extends Record> representationOf(Annotation[] annotations) {
        return Arrays.stream(annotations).filter(Representation.class::isInstance).findFirst()
                .<Class<? extends Record>>map(a -> ((Representation) a).value()).orElse(null);
    }

    private static boolean isJson(MediaType mediaType) {
        return mediaType != null && "application".equals(mediaType.getType())
                && ("json".equals(mediaType.getSubtype()) || mediaType.getSubtype().endsWith("+json"));
    }

    private static boolean isOptional(Annotation[] annotations) {
        return Arrays.stream(annotations).anyMatch(OptionalBody.class::isInstance);
    }

    /**
     * The body as a {@code type} record; 422 naming each field that does not
     * fit (Bean Validation not yet run). Fields of the {@code representation}
     * (may be null) that the record lacks are read-only.
     */
    public <T extends Record> T bind(JsonValue body, Class<T> type, Class<? extends Record> representation) {
        if (!(body instanceof JsonObject object)) {
            throw new Invalid("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        check(object, type, representation, "", errors);
        Invalid.throwIfAny(errors);
        return jsonb().fromJson(object.toString(), type);
    }

    /**
     * Adds to {@code errors} each field of the object that does not fit the
     * record {@code type}, named from {@code prefix}; a component that is a
     * record itself is checked the same way, its fields named
     * {@code outer.inner} ({@code quiet_hours.from}).
     */
    private static void check(JsonObject object, Class<?> type, Class<? extends Record> representation, String prefix,
            List<FieldError> errors) {
        Map<String, RecordComponent> components = FIELDS.get(type);
        object.forEach((name, value) -> {
            RecordComponent component = components.get(name);
            if (component != null && component.getType().isRecord() && value instanceof JsonObject inner) {
                check(inner, component.getType(), null, prefix + name + ".", errors);
                return;
            }
            String problem = component != null ? problemOf(value, component.getGenericType())
                    : representation != null && FIELDS.get(representation).containsKey(name) ? "is read-only"
                    : "is not a known field";
            if (problem != null) {
                errors.add(new FieldError(prefix + name, problem));
            }
        });
    }

    /**
     * The state {@code current} with a JSON Merge Patch applied: a field the
     * patch leaves out stays, a field it sets to null is cleared. The result
     * is bound and validated like a whole body.
     */
    public <T extends Record> T merge(T current, JsonValue patch, Class<T> type, Class<? extends Record> representation) {
        if (!(patch instanceof JsonObject)) {
            throw new Invalid("body", "must be a JSON object (a JSON Merge Patch of the resource)");
        }
        JsonValue state = SharedJson.PROVIDER.createReader(new StringReader(jsonb().toJson(current))).readValue();
        T merged = bind(SharedJson.PROVIDER.createMergePatch(patch).apply(state), type, representation);
        Invalid.throwIfAny(ProblemMapper.fieldErrors(validator.validate(merged)));
        return merged;
    }

    private static Jsonb jsonb() {
        return JsonConfig.JSONB;
    }

    /** Why a JSON value cannot be a Java value of {@code type}, or null when it can. */
    private static String problemOf(JsonValue value, Type type) {
        Class<?> raw = type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return raw.isPrimitive() ? "may not be null" : null;
        }
        if (!storable(value)) {
            return "must not contain NUL (\\u0000) or unpaired surrogate characters";
        }
        if (raw == String.class) {
            return value instanceof JsonString ? null : "must be a string";
        }
        if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            boolean isInt = raw == Integer.class || raw == int.class;
            return value instanceof JsonNumber number && number.isIntegral()
                    && within(number.bigDecimalValue(), isInt) ? null : "must be a whole number";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return value == JsonValue.TRUE || value == JsonValue.FALSE ? null : "must be true or false";
        }
        if (raw == Instant.class) {
            return value instanceof JsonString text && isTimestamp(text.getString()) ? null
                    : "must be an RFC 3339 timestamp such as 2026-11-24T09:30:00Z";
        }
        if (raw == UUID.class) {
            return value instanceof JsonString text && isUuid(text.getString()) ? null : "must be a UUID";
        }
        if (raw == List.class) {
            Type element = type instanceof ParameterizedType parameterized
                    ? parameterized.getActualTypeArguments()[0] : Object.class;
            if (!(value instanceof JsonArray array)) {
                return "must be an array";
            }
            return element != String.class || array.stream().allMatch(JsonString.class::isInstance)
                    ? null : "must be an array of strings";
        }
        if (raw.isRecord()) {
            return "must be a JSON object";   // an object is checked field by field (check)
        }
        if (raw.isEnum()) {
            List<String> names = Arrays.stream(raw.getEnumConstants()).map(c -> SnakeCase.of((Enum<?>) c)).toList();
            return value instanceof JsonString text && names.contains(text.getString()) ? null
                    : "must be one of " + names.stream().sorted().toList();
        }
        return null;
    }

    private static boolean within(BigDecimal number, boolean isInt) {
        if (isInt) {
            return number.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0
                    && number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
        }
        return number.compareTo(LONG_MIN) >= 0 && number.compareTo(LONG_MAX) <= 0;
    }

    private static boolean isTimestamp(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * False for text PostgreSQL cannot store: NUL, and UTF-16 surrogates that
     * do not pair up (JSON can spell both, {@code "\\u0000"}, {@code "\\ud800"}).
     */
    static boolean storable(String text) {
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

    /** False when any text in the value is one PostgreSQL cannot store: NUL, or UTF-16 surrogates that do not pair up. */
    private static boolean storable(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> storable(((JsonString) value).getString());
            case ARRAY -> value.asJsonArray().stream().allMatch(RequestBodies::storable);
            case OBJECT -> value.asJsonObject().entrySet().stream()
                    .allMatch(e -> storable(e.getKey()) && storable(e.getValue()));
            default -> true;
        };
    }
}
