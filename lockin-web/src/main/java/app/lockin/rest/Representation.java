package app.lockin.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The representation a request body writes part of: its fields that the
 * request record does not have are read-only, and a body that sends one is
 * told so ("is read-only", not "is not a known field").
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface Representation {

    Class<? extends Record> value();
}
