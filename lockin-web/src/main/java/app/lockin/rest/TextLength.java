package app.lockin.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A text's length in characters as a person counts them (Unicode code
 * points, as PostgreSQL's char_length does): an emoji is one, not two as in
 * {@code @Size}. Null is valid.
 */
@Documented
@Constraint(validatedBy = TextLength.Validator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface TextLength {

    int min() default 0;

    int max() default Integer.MAX_VALUE;

    String message() default "must have {min} to {max} characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<TextLength, CharSequence> {

        private int min;
        private int max;

        @Override
        public void initialize(TextLength constraint) {
            this.min = constraint.min();
            this.max = constraint.max();
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            long length = value.codePoints().count();
            return length >= min && length <= max;
        }
    }
}
