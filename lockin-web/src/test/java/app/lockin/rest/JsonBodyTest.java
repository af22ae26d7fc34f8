package app.lockin.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.BadRequestException;

import org.junit.jupiter.api.Test;

class JsonBodyTest {

    private static JsonValue parse(String body) {
        return JsonBody.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void oneValueIsRead() {
        assertThat(((JsonObject) parse(" {\"a\": 1} \n")).getInt("a")).isEqualTo(1);
        assertThat(parse("[1, 2]").getValueType()).isEqualTo(JsonValue.ValueType.ARRAY);
    }

    @Test
    void anythingAfterTheValueIsMalformed() {
        for (String body : new String[] {"{\"name\": \"x\"} trailing", "{} {}", "{}]", "[1] 2", "{\"a\": 1}x"}) {
            assertThatThrownBy(() -> parse(body)).as(body).isInstanceOf(BadRequestException.class);
        }
    }

    @Test
    void brokenOrEmptyBodiesAreMalformed() {
        for (String body : new String[] {"", "   ", "{\"a\": ", "not json", "{\"a\": 1,}", "[".repeat(100_000)}) {
            assertThatThrownBy(() -> parse(body)).as(body.length() > 20 ? "deep nesting" : body)
                    .isInstanceOf(BadRequestException.class);
        }
    }

    @Test
    void optionalBodiesMayBeAbsent() {
        assertThat(JsonBody.parseOptional(null)).isNull();
        assertThat(JsonBody.parseOptional(" ")).isNull();
        assertThat(JsonBody.parseOptional("{}")).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
    }
}
