package app.lockin.rules;

import jakarta.ejb.ApplicationException;

/**
 * A feature this server cannot offer right now: not configured here, or a
 * service it depends on is out of reach. Retrying later may help; the
 * request itself was fine.
 */
@ApplicationException(rollback = true)
public class Unavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public Unavailable(String detail) {
        super(detail);
    }
}
