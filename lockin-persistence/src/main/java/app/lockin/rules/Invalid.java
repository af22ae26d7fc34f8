package app.lockin.rules;

import java.util.List;

import jakarta.ejb.ApplicationException;

/** The request's values break a rule; each broken rule names its field. */
@ApplicationException(rollback = true)
public class Invalid extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    public Invalid(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid request" : errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public Invalid(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    /** Throws when the list holds any error; for checks that collect every broken rule first. */
    public static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
    }

    public List<FieldError> errors() {
        return errors;
    }
}
