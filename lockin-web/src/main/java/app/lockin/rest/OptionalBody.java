package app.lockin.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request body that may be left out (no body, or only white space, of any
 * Content-Type): the record is then bound from {@code {}}. Mobile clients send
 * {@code :start} and friends without one.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface OptionalBody {
}
