package app.lockin.database;

/**
 * The position in the primary's log that the reads of the request being
 * served on this thread must show: the {@code LockIN-Read-After} its client
 * echoed (the position after its last write's commit) or the caller's last
 * write through this instance, whichever is later; null when they need not
 * show anything in particular. The web tier sets it around each request
 * (every enterprise bean the request calls runs on its thread) and clears
 * it after; {@link Reads} reads it.
 */
public final class ReadPosition {

    private static final ThreadLocal<Lsn> CURRENT = new ThreadLocal<>();

    private ReadPosition() {
    }

    /** The position this thread's reads must show, or null. */
    public static Lsn current() {
        return CURRENT.get();
    }

    /** This thread's reads must show {@code position} (null: nothing in particular) until {@link #clear()}. */
    public static void set(Lsn position) {
        if (position == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(position);
        }
    }

    public static void clear() {
        CURRENT.remove();
    }
}
