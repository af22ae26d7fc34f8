package app.lockin.limits;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The application's pool as Bucket4j's engine uses it: each bucket update is
 * a short local transaction ({@code setAutoCommit(false)} ... commit) that
 * does not wait for its WAL record to reach disk ({@code SET LOCAL
 * synchronous_commit = off}: a crash may forget the last few milliseconds of
 * counting, never data), and a connection goes back to the pool in
 * auto-commit again, as the application's other users expect it (Bucket4j
 * leaves it off).
 */
final class BucketTransactions implements DataSource {

    private final DataSource pool;

    BucketTransactions(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(pool.getConnection(username, password));
    }

    private static Connection wrap(Connection connection) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            try {
                switch (method.getName()) {
                    case "setAutoCommit" -> {
                        Object result = method.invoke(connection, arguments);
                        if (Boolean.FALSE.equals(arguments[0])) {
                            try (Statement statement = connection.createStatement()) {
                                statement.execute("set local synchronous_commit to off");
                            }
                        }
                        return result;
                    }
                    case "close" -> {
                        try {
                            if (!connection.isClosed() && !connection.getAutoCommit()) {
                                connection.rollback();
                                connection.setAutoCommit(true);
                            }
                        } finally {
                            connection.close();
                        }
                        return null;
                    }
                    default -> {
                        return method.invoke(connection, arguments);
                    }
                }
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(BucketTransactions.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}
