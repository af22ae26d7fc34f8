package app.lockin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    @Test
    void textPostgresCannotStoreIsNotStorable() {
        assertThat(JsonFields.storable("Alice")).isTrue();
        assertThat(JsonFields.storable("focus \uD83D\uDE80 time")).as("a paired surrogate: an emoji").isTrue();
        assertThat(JsonFields.storable("Alice\u0000")).isFalse();
        assertThat(JsonFields.storable("\uD800")).as("lone high surrogate").isFalse();
        assertThat(JsonFields.storable("x\uDC00y")).as("lone low surrogate").isFalse();
        assertThat(JsonFields.storable("\uDE80\uD83D")).as("reversed pair").isFalse();
    }
}
