package app.lockin.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

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
 * bean setters cannot point it elsewhere. {@link ReplicaDataSource} is the
 * same for the replicas.
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
            + "&connectTimeout=5"
            + "&tcpKeepAlive=true";

    private transient volatile List<Settings> settings;
    /** Where the next connection is tried first, when there are several databases (replicas). */
    private final AtomicInteger next = new AtomicInteger();

    private record Settings(String jdbcUrl, Properties credentials) {
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
            return settings().get(0).jdbcUrl();
        } catch (IllegalArgumentException e) {
            return "jdbc:postgresql:unconfigured";
        }
    }

    /** The setting that says where the database is. */
    protected String setting() {
        return "DATABASE_URL";
    }

    /** Its value's databases: one. */
    protected List<DatabaseUrl> databases(String value) {
        return List.of(DatabaseUrl.parse(setting(), value));
    }

    /** The application's name its connections give the server ({@code pg_stat_activity}). */
    protected String applicationName() {
        return "lockin";
    }

    /**
     * A new connection to the database, or to one of the databases in turn
     * (the next connection starts with the next one): one that cannot be
     * reached is passed over for the one after it; the last failure is
     * thrown when none can be.
     */
    private Connection connect() throws SQLException {
        List<Settings> all;
        try {
            all = settings();
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), "08001", e);
        }
        int first = Math.floorMod(next.getAndIncrement(), all.size());
        SQLException failure = null;
        for (int i = 0; i < all.size(); i++) {
            Settings s = all.get((first + i) % all.size());
            try {
                Connection connection = new Driver().connect(s.jdbcUrl(), s.credentials());
                if (connection == null) {
                    throw new SQLException(setting() + " is not a PostgreSQL URL", "08001");
                }
                return connection;
            } catch (SQLException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    private List<Settings> settings() {
        List<Settings> s = settings;
        if (s == null) {
            // the pool may open connections on a thread without a context class loader
            String value = ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader())
                    .getOptionalValue(setting(), String.class).orElse(null);
            settings = s = databases(value).stream().map(this::settingsOf).toList();
        }
        return s;
    }

    private Settings settingsOf(DatabaseUrl url) {
        Properties credentials = new Properties();
        url.user().ifPresent(u -> credentials.setProperty("user", u));
        url.password().ifPresent(p -> credentials.setProperty("password", p));
        return new Settings(withDefaults(url.jdbcUrl(), applicationName()), credentials);
    }

    /** The JDBC URL with the session settings every connection gets. */
    public static String withDefaults(String jdbcUrl, String applicationName) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + CONNECTION_DEFAULTS + "&ApplicationName=" + applicationName;
    }
}
