package app.lockin.rules;

import jakarta.ejb.ApplicationException;

/** The action does not fit the current state (an archived group, a session already ended, ...). */
@ApplicationException(rollback = true)
public class Conflict extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public Conflict(String detail) {
        super(detail);
    }
}
