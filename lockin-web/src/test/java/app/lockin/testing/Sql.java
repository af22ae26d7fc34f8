package app.lockin.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Straight SQL against one database of the test run: the server's
 * ({@link TestEnvironment#sql()}) to set up data and check what the API wrote,
 * or the SQL-only tests' own ({@link MigratedDatabase}).
 */
public final class Sql {

    private final Supplier<String> jdbcUrl;

    /** The URL is asked for at each connection, so a constant may be made before the database runs. */
    public Sql(Supplier<String> jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * A connection; what it committed is noted ({@link ReadAfter}) when it
     * commits and when it closes, so the tests' next reads through the API,
     * which the server may serve from its replica, show it.
     */
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl.get());
        return (Connection) Proxy.newProxyInstance(Sql.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    boolean closing = method.getName().equals("close") && !c.isClosed();
                    if (closing) {
                        ReadAfter.wrote(c);
                    }
                    Object result;
                    try {
                        result = method.invoke(c, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commit")) {
                        ReadAfter.wrote(c);
                    }
                    return result;
                });
    }

    /** Rows of a query, each a map from column label to value. */
    public List<Map<String, Object>> rows(String sql, Object... parameters) throws SQLException {
        try (Connection c = connect()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            try (PreparedStatement s = prepare(c, sql, parameters); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** The single value of a query. */
    public Object value(String sql, Object... parameters) throws SQLException {
        List<Map<String, Object>> rows = rows(sql, parameters);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new AssertionError("expected one value from " + sql + " but got " + rows);
        }
        return rows.get(0).values().iterator().next();
    }

    public long count(String sql, Object... parameters) throws SQLException {
        return ((Number) value(sql, parameters)).longValue();
    }

    public int update(String sql, Object... parameters) throws SQLException {
        try (Connection c = connect()) {
            int count;
            try (PreparedStatement s = prepare(c, sql, parameters)) {
                count = s.executeUpdate();
            }
            return count;
        }
    }

    public static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(i + 1, parameters[i]);
        }
        return s;
    }

    public static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    /** The SQLSTATE of a failure, when it is the database's. */
    public static String sqlState(Throwable e) {
        return e instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
