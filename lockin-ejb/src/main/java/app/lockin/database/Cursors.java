package app.lockin.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Statements whose rows are read as a cursor: PostgreSQL sends them
 * {@link #FETCH_SIZE} at a time as they are read, instead of the whole result
 * at once, so a reader that writes each row out (an export) holds one batch
 * in memory whatever the result's size. The driver does so only inside a
 * transaction (the connection not in auto-commit: an EJB's, whose connection
 * from the application's DataSource is enlisted in it) and for a forward-only
 * result: both are made sure of here.
 */
public final class Cursors {

    /** Rows a round trip brings: ~200 KB of an export's rows, ~1 ms of the database's time at most. */
    public static final int FETCH_SIZE = 1000;

    private Cursors() {
    }

    /** The statement with its parameters (JDBC's {@code ?}, in order), ready to be executed as a cursor. */
    public static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("A cursor needs a transaction: in auto-commit PostgreSQL's driver reads the whole result at once");
        }
        PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(FETCH_SIZE);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
