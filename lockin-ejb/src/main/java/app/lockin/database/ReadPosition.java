package app.lockin.database;

import jakarta.enterprise.context.RequestScoped;

/**
 * The position in the primary's log a request's reads must show: the
 * {@code LockIN-Read-After} its client echoed (the position of its last
 * write's commit) or the caller's last write through this instance,
 * whichever is later; null when it need not show anything in particular.
 * Set by the web tier before the request is served, read by {@link Reads}.
 */
@RequestScoped
public class ReadPosition {

    private Lsn after;

    public Lsn after() {
        return after;
    }

    /** The reads must show {@code position} (the later of it and what was set before). */
    public void atLeast(Lsn position) {
        after = Lsn.later(after, position);
    }
}
