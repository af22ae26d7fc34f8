package app.lockin.rules;

import jakarta.ejb.ApplicationException;

/** The caller may see the thing but their role does not allow the action. */
@ApplicationException(rollback = true)
public class Forbidden extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public Forbidden(String detail) {
        super(detail);
    }
}
