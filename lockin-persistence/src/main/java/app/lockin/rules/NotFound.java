package app.lockin.rules;

import jakarta.ejb.ApplicationException;

/**
 * The thing asked for does not exist, or the caller may not see it: both
 * answer the same, so a group one is not in looks like no group at all.
 */
@ApplicationException(rollback = true)
public class NotFound extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFound(String detail) {
        super(detail);
    }
}
