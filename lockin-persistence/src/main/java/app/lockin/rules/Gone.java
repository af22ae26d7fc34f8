package app.lockin.rules;

import jakarta.ejb.ApplicationException;

/** The thing asked for existed but can no longer be used (an expired, used-up or revoked join link). */
@ApplicationException(rollback = true)
public class Gone extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public Gone(String detail) {
        super(detail);
    }
}
