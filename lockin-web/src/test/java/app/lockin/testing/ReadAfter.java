package app.lockin.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

import app.lockin.database.Lsn;

/**
 * The latest position of the primary's log this test run knows of: from every
 * answer's {@code LockIN-Read-After} (any caller's) and after every SQL
 * set-up of the tests. The tests' client ({@link Api}) echoes it, as the app
 * echoes its last one, so a test's reads (on the replica, where the server
 * reads) show what the test did before them, whoever did it; a client that
 * does not echo it is {@link Api#withoutReadAfter()}.
 */
public final class ReadAfter {

    public static final String HEADER = "LockIN-Read-After";

    private static final AtomicReference<Lsn> LATEST = new AtomicReference<>();

    private ReadAfter() {
    }

    /** The value to send, or null when nothing was written yet. */
    static String header() {
        Lsn latest = LATEST.get();
        return latest == null ? null : latest.toString();
    }

    /** An answer's header value (null: none). */
    static void answered(String value) {
        if (value != null) {
            Lsn position = Lsn.parse(value);
            LATEST.accumulateAndGet(position, Lsn::later);
        }
    }

    /**
     * After the tests' own statements on the connection: the primary's
     * position now (past what they committed; a connection that failed, or a
     * replica's, notes nothing).
     */
    static void wrote(Connection c) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select pg_is_in_recovery(), pg_current_wal_insert_lsn()::text")) {
            r.next();
            if (!r.getBoolean(1)) {
                LATEST.accumulateAndGet(Lsn.parse(r.getString(2)), Lsn::later);
            }
        } catch (SQLException e) {
            // an aborted transaction, a closed connection: its statements committed nothing more
        }
    }
}
