package app.lockin.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL DataSource the application server pools as
 * {@code java:app/jdbc/lockin}. It takes the URL and credentials from
 * {@code DATABASE_URL} (through MicroProfile Config: an environment
 * variable or a system property) when the server opens a connection, so the
 * same deployment runs on Payara Micro and on Payara Server without
 * server-side resource set-up, and whatever the server sets through the
 * bean setters cannot point it elsewhere.
 */
public class ConfiguredDataSource extends PGSimpleDataSource {

    private static final long serialVersionUID = 1L;

    /** Session settings every connection gets. */
    private static final String CONNECTION_DEFAULTS =
            // enum columns take the driver's strings without explicit casts
            "stringtype=unspecified"
            // short OLTP queries: JIT compilation would cost more than it saves
            // (the leaderboard at 1 M logs: 28 ms with JIT, 0.7 ms without)
            + "&options=-c%20jit%3Doff"
            // uuid[] (2951) and boolean[] (1000) in binary: a history page's boards come as
            // arrays, and parsing 400 UUIDs from text doubled the time to read a page
            + "&binaryTransferEnable=2951,1000"
            + "&ApplicationName=lockin"
            + "&connectTimeout=5"
            + "&tcpKeepAlive=true";

    private transient volatile Settings settings;

    private record Settings(String url, Properties credentials) {
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect();
    }

    @Override
    public Connection getConnection(String ignoredUser, String ignoredPassword) throws SQLException {
        return connect();
    }

    @Override
    public String getUrl() {
        try {
            return settings().url();
        } catch (IllegalArgumentException e) {
            return "jdbc:postgresql:unconfigured";
        }
    }

    private Connection connect() throws SQLException {
        Settings s;
        try {
            s = settings();
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), "08001", e);
        }
        Connection connection = new Driver().connect(s.url(), s.credentials());
        if (connection == null) {
            throw new SQLException("DATABASE_URL is not a PostgreSQL URL", "08001");
        }
        return connection;
    }

    private Settings settings() {
        Settings s = settings;
        if (s == null) {
            // the pool may open connections on a thread without a context class loader
            String value = ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader())
                    .getOptionalValue("DATABASE_URL", String.class).orElse(null);
            DatabaseUrl url = DatabaseUrl.parse(value);
            Properties credentials = new Properties();
            url.user().ifPresent(u -> credentials.setProperty("user", u));
            url.password().ifPresent(p -> credentials.setProperty("password", p));
            String jdbc = url.jdbcUrl() + (url.jdbcUrl().contains("?") ? "&" : "?") + CONNECTION_DEFAULTS;
            settings = s = new Settings(jdbc, credentials);
        }
        return s;
    }
}
