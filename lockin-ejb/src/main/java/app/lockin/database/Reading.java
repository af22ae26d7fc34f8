package app.lockin.database;

import java.sql.Connection;
import java.sql.SQLException;

/** Work that reads through one JDBC connection, in the read-only transaction {@link Reads#snapshot} began on it. */
@FunctionalInterface
public interface Reading {

    void read(Connection connection) throws SQLException;
}
