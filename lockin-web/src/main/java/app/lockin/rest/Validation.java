package app.lockin.rest;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import app.lockin.rules.Invalid;

/** Bean Validation of request records: a record that breaks its constraints is a 422 naming each field. */
@ApplicationScoped
public class Validation {

    @Inject
    Validator validator;

    public <T> T check(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new Invalid(ProblemMapper.fieldErrors(violations));
        }
        return request;
    }
}
