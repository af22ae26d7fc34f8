package app.lockin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextLengthTest {

    private static TextLength.Validator between(int min, int max) {
        TextLength.Validator validator = new TextLength.Validator();
        validator.initialize(new TextLength() {
            @Override public int min() { return min; }
            @Override public int max() { return max; }
            @Override public String message() { return ""; }
            @Override public Class<?>[] groups() { return new Class<?>[0]; }
            @SuppressWarnings({"unchecked", "rawtypes"})
            @Override public Class<? extends jakarta.validation.Payload>[] payload() { return new Class[0]; }
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return TextLength.class; }
        });
        return validator;
    }

    @Test
    void countsCodePoints() {
        TextLength.Validator upToThree = between(1, 3);
        assertThat(upToThree.isValid("🙂🙂🙂", null)).isTrue();
        assertThat(upToThree.isValid("🙂🙂🙂🙂", null)).isFalse();
        assertThat(upToThree.isValid("", null)).isFalse();
        assertThat(upToThree.isValid(null, null)).isTrue();
    }
}
