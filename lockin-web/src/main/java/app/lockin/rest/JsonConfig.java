package app.lockin.rest;

import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import app.lockin.groups.DeclaredTime;
import app.lockin.groups.GroupStatus;
import app.lockin.groups.MemberRole;
import app.lockin.groups.Period;
import app.lockin.notifications.NotificationKind;
import app.lockin.notifications.NotificationStatus;
import app.lockin.sessions.Participant;
import app.lockin.sessions.SessionStatus;
import app.lockin.sessions.TimeLog;

/**
 * The wire format the mobile app was written against: snake_case names,
 * every field present (null when it has no value), and RFC 3339 timestamps in UTC with at most millisecond precision
 * ({@code 2026-11-24T09:30:00.123Z}); timestamps are read with any offset.
 */
@Provider
public class JsonConfig implements ContextResolver<Jsonb> {

    /** The one Jsonb of the API (thread-safe). */
    public static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(SnakeCase.INSTANCE)
            // a field without a value is there as null, so clients see the whole shape
            .withNullValues(true)
            .withSerializers(new InstantWriter())
            .withDeserializers(new InstantReader())
            .withSerializers(WireEnum.ALL)
            .withDeserializers(WireEnum.ALL));

    @Override
    public Jsonb getContext(Class<?> type) {
        return JSONB;
    }

    /**
     * The domain's enums on the wire: the constant's name in lower case
     * ({@code OWNER} is {@code "owner"}). One anonymous subclass per enum, so
     * that JSON-B sees the type it is for.
     */
    abstract static class WireEnum<E extends Enum<E>> implements JsonbSerializer<E>, JsonbDeserializer<E> {

        /** Every enum of the domain that the API shows or takes. */
        static final WireEnum<?>[] ALL = {
            new WireEnum<>(Period.class) { }, new WireEnum<>(GroupStatus.class) { },
            new WireEnum<>(MemberRole.class) { }, new WireEnum<>(NotificationKind.class) { },
            new WireEnum<>(NotificationStatus.class) { }, new WireEnum<>(SessionStatus.class) { },
            new WireEnum<>(Participant.Role.class) { }, new WireEnum<>(TimeLog.Source.class) { },
            new WireEnum<>(DeclaredTime.class) { },
        };

        private final Class<E> type;

        WireEnum(Class<E> type) {
            this.type = type;
        }

        @Override
        public void serialize(E value, JsonGenerator generator, SerializationContext context) {
            generator.write(SnakeCase.of(value));
        }

        @Override
        public E deserialize(JsonParser parser, DeserializationContext context, Type rtType) {
            String text = parser.getString();
            for (E constant : type.getEnumConstants()) {
                if (SnakeCase.of(constant).equals(text)) {
                    return constant;
                }
            }
            throw new JsonbException("not a " + type.getSimpleName() + ": " + text);
        }
    }

    static final class InstantWriter implements JsonbSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
            generator.write(DateTimeFormatter.ISO_INSTANT.format(value.truncatedTo(ChronoUnit.MILLIS)));
        }
    }

    static final class InstantReader implements JsonbDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context, Type type) {
            String text = parser.getString();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new JsonbException("not an RFC 3339 timestamp: " + text, e);
            }
        }
    }
}
