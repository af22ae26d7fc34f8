package app.lockin.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Instant;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import app.lockin.groups.MemberRole;
import app.lockin.rules.FieldError;
import app.lockin.rules.Invalid;

class RequestBodiesTest {

    public record Sample(String name, Integer minutes, Long bytes, Instant at, UUID userId, MemberRole role, Boolean flag) {
    }

    private final RequestBodies bodies = new RequestBodies();

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    private Sample bind(String text) {
        return bodies.bind(json(text), Sample.class, null);
    }

    private static String[] fieldsOf(Invalid invalid) {
        return invalid.errors().stream().map(FieldError::field).toArray(String[]::new);
    }

    @Test
    void aBodyBindsBySnakeCaseNamesWithWireEnums() {
        UUID id = UUID.randomUUID();
        Sample sample = bind("{\"name\": \"x\", \"minutes\": 30, \"bytes\": 5000000000, \"at\": \"2026-11-24T10:30:00+01:00\", "
                + "\"user_id\": \"" + id + "\", \"role\": \"admin\", \"flag\": true}");

        assertThat(sample).isEqualTo(new Sample("x", 30, 5_000_000_000L, Instant.parse("2026-11-24T09:30:00Z"), id,
                MemberRole.ADMIN, true));
        assertThat(bind("{}")).as("absent fields are null").isEqualTo(new Sample(null, null, null, null, null, null, null));
    }

    @Test
    void everyFieldThatDoesNotFitIsNamedAtOnce() {
        assertThatThrownBy(() -> bind("{\"name\": 7, \"minutes\": 1.5, \"bytes\": 99999999999999999999999, "
                + "\"at\": \"tomorrow\", \"user_id\": \"1-1-1-1-1\", \"role\": \"OWNER\", \"flag\": \"yes\", \"colour\": 1}"))
                .isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(fieldsOf(invalid)).containsExactlyInAnyOrder(
                        "name", "minutes", "bytes", "at", "user_id", "role", "flag", "colour"));
        assertThatThrownBy(() -> bind("{\"minutes\": \"7\"}")).as("no coercion of text to numbers")
                .isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(fieldsOf(invalid)).containsExactly("minutes"));
        assertThatThrownBy(() -> bind("{\"minutes\": 2147483648}")).as("beyond int")
                .isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(fieldsOf(invalid)).containsExactly("minutes"));
        assertThatThrownBy(() -> bind("[]")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(fieldsOf(invalid)).containsExactly("body"));
    }

    @Test
    void textPostgresCannotStoreIsRefused() {
        assertThat(RequestBodies.storable("Alice")).isTrue();
        assertThat(RequestBodies.storable("focus \uD83D\uDE80 time")).as("a paired surrogate: an emoji").isTrue();
        assertThat(RequestBodies.storable("Alice\u0000")).isFalse();
        assertThat(RequestBodies.storable("\uD800")).as("lone high surrogate").isFalse();
        assertThat(RequestBodies.storable("x\uDC00y")).as("lone low surrogate").isFalse();
        assertThat(RequestBodies.storable("\uDE80\uD83D")).as("reversed pair").isFalse();
        assertThatThrownBy(() -> bind("{\"name\": \"Alice\\u0000\"}"))
                .isInstanceOfSatisfying(Invalid.class, invalid -> assertThat(fieldsOf(invalid)).containsExactly("name"));
    }
}
