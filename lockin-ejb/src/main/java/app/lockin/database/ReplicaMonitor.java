package app.lockin.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import org.postgresql.Driver;

import app.lockin.config.Durations;
import app.lockin.database.Replicas.Health;
import app.lockin.database.Replicas.Replica;

/**
 * Checks the read replicas of {@code DATABASE_READ_URL} at start and every
 * {@link #TICK} after, each on a connection of its own outside the pool, and
 * tells {@link Replicas} what it found.
 * <p>
 * At start a malformed setting stops the deployment with its message, and so
 * does a replica that answers but is not a replica of the primary's database:
 * not in recovery ({@code pg_is_in_recovery()}: a primary, which would take
 * no part in the primary's commits), another cluster (its
 * {@code pg_control_system()} system identifier differs) or another
 * database of it. One that does not answer is passed over until it does
 * (and is checked then; refused then, it is logged and never used).
 * <p>
 * Lag is measured against the primary's log: every tick notes the primary's
 * position ({@code pg_current_wal_insert_lsn()}), and a replica that has replayed
 * up to position P shows everything the primary showed when its position
 * was P. Its lag is how long ago the primary's last noted position that P
 * covers was noted (0 when it covers the latest): the time its reads may be
 * behind, measured with one clock, this instance's. A replica lagging more
 * than {@code LOCKIN_REPLICA_MAX_LAG} (default 2 s) serves no reads until it
 * catches up. Metrics: {@code lockin_replica_lag_seconds{replica}} (NaN while
 * it cannot be reached) and {@code lockin_replica_healthy{replica}}.
 */
@Singleton
@Startup
@DependsOn("Migrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class ReplicaMonitor {

    /** How often the replicas are checked. */
    static final Duration TICK = Duration.ofMillis(250);
    /** How far back the primary's positions are kept: a replica behind all of them lags at least this long. */
    private static final int SAMPLES = 120;

    private static final Logger LOG = Logger.getLogger(ReplicaMonitor.class.getName());

    private static final String CHECK =
            "select pg_is_in_recovery() as in_recovery, pg_last_wal_replay_lsn()::text as replayed, current_database() as database";
    private static final String SYSTEM_IDENTIFIER = "select system_identifier::text from pg_control_system()";

    @Inject
    @ConfigProperty(name = ReplicaDataSource.SETTING)
    Optional<String> setting;

    @Inject
    @ConfigProperty(name = "LOCKIN_REPLICA_MAX_LAG", defaultValue = "2s")
    String maxLagSetting;

    @Inject
    @ConfigProperty(name = "LOCKIN_REPLICA_WAIT", defaultValue = "200ms")
    String waitSetting;

    @Resource(lookup = Migrations.DATA_SOURCE)
    DataSource primary;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    @Inject
    Replicas replicas;

    /** The primary's identity: its system identifier (null when its role may not read it) and database. */
    private record Identity(String systemIdentifier, String database) {
    }

    /** The primary's position at a moment ({@link System#nanoTime}). */
    private record Sample(long at, Lsn position) {
    }

    private Identity primaryIdentity;
    private final Deque<Sample> samples = new ArrayDeque<>();   // guarded by itself
    private final Map<Replica, Connection> connections = new HashMap<>();   // guarded by itself
    /** The replicas found to be replicas of the primary's database (checked once, on their first answer). */
    private final Set<Replica> validated = new HashSet<>();   // idem
    private ScheduledFuture<?> ticking;

    @PostConstruct
    void start() {
        if (setting.isEmpty() || setting.get().isBlank()) {
            LOG.info("No read replicas (" + ReplicaDataSource.SETTING + " is not set): every read goes to the primary");
            return;
        }
        List<DatabaseUrl> urls = DatabaseUrl.list(ReplicaDataSource.SETTING, setting.get());
        Duration maxLag = Durations.parse("LOCKIN_REPLICA_MAX_LAG", maxLagSetting, Duration.ofMillis(100));
        Duration wait = Durations.parse("LOCKIN_REPLICA_WAIT", waitSetting, Duration.ZERO);
        primaryIdentity = identityOfPrimary();
        replicas.configure(urls, maxLag, wait);
        samplePrimary();
        List<String> refused = new ArrayList<>();
        for (Replica replica : replicas.all()) {
            check(replica);
            if (replica.health() == Health.REFUSED) {
                refused.add(replica.name());
            }
            metrics.gauge("lockin_replica_lag_seconds", replica, Replica::lagSeconds, new Tag("replica", replica.name()));
            metrics.gauge("lockin_replica_healthy", replica, r -> r.health() == Health.HEALTHY ? 1 : 0,
                    new Tag("replica", replica.name()));
        }
        if (!refused.isEmpty()) {
            closeConnections();
            throw new IllegalStateException(ReplicaDataSource.SETTING + " lists what is not a replica of "
                    + "DATABASE_URL's database: " + String.join(", ", refused) + " (see the messages above)");
        }
        LOG.info(() -> "Reads go to the replicas " + replicas.all() + " while they lag at most " + maxLag.toMillis()
                + " ms; a read that must show a write waits at most " + wait.toMillis() + " ms for one");
        ticking = scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (ticking != null) {
            ticking.cancel(false);
        }
        synchronized (connections) {
            closeConnections();
        }
    }

    private void tick() {
        try {
            samplePrimary();
            synchronized (connections) {
                for (Replica replica : replicas.all()) {
                    check(replica);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Checking the replicas failed; the next tick tries again", e);
        }
    }

    private Identity identityOfPrimary() {
        try (Connection c = primary.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(CHECK)) {
            r.next();
            Identity identity = new Identity(systemIdentifier(c), r.getString("database"));
            if (identity.systemIdentifier() == null) {
                LOG.warning("DATABASE_URL's role may not read pg_control_system(): the replicas' system identifiers "
                        + "are not compared with the primary's (GRANT EXECUTE ON FUNCTION pg_control_system() to it)");
            }
            return identity;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the primary's identity, to compare the replicas of "
                    + ReplicaDataSource.SETTING + " with: " + e.getMessage(), e);
        }
    }

    /** Notes the primary's position now (nothing when it cannot be read: the replicas are then compared with older ones). */
    private void samplePrimary() {
        try (Connection c = primary.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select pg_current_wal_insert_lsn()::text")) {
            r.next();
            Lsn position = Lsn.parse(r.getString(1));
            synchronized (samples) {
                samples.addLast(new Sample(System.nanoTime(), position));
                while (samples.size() > SAMPLES) {
                    samples.removeFirst();
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "The primary's position could not be read", e);
        }
    }

    private void check(Replica replica) {
        if (replica.health() == Health.REFUSED) {
            return;
        }
        long checkedAt = System.nanoTime();
        try {
            Connection c = connection(replica);
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(CHECK)) {
                r.next();
                String why = notAReplica(c, r, !validated.contains(replica));
                if (why != null) {
                    replica.checked(Health.REFUSED, Double.NaN);
                    LOG.severe(() -> ReplicaDataSource.SETTING + ": " + replica.name() + " " + why + "; it serves no reads");
                    closeConnection(replica);
                    return;
                }
                validated.add(replica);
                Lsn replayed = Lsn.parse(r.getString("replayed"));
                replica.replayed(replayed);
                double lag = lagSeconds(replayed, checkedAt);
                Health health = lag <= replicas.maxLag().toNanos() / 1e9 ? Health.HEALTHY : Health.LAGGING;
                Health before = replica.health();
                replica.checked(health, lag);
                if (before != health) {
                    LOG.log(health == Health.HEALTHY ? Level.INFO : Level.WARNING, "Replica {0} is now {1} (lag {2} s)",
                            new Object[] {replica.name(), health, String.format("%.3f", lag)});
                }
            }
        } catch (SQLException | RuntimeException e) {
            Health before = replica.health();
            replica.checked(Health.DOWN, Double.NaN);
            closeConnection(replica);
            if (before != Health.DOWN) {
                LOG.warning(() -> "Replica " + replica.name() + " cannot be read (" + e.getMessage()
                        + "): reads go elsewhere until it can");
            }
        }
    }

    /** The server's system identifier, or null when this role may not read it (42501). */
    private static String systemIdentifier(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(SYSTEM_IDENTIFIER)) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Why the checked server is not a replica of the primary's database, or
     * null when it is one: it must be in recovery at every check, and be of
     * the primary's cluster and database (checked on its first answer).
     */
    private String notAReplica(Connection c, ResultSet r, boolean firstAnswer) throws SQLException {
        if (!r.getBoolean("in_recovery")) {
            return "is not a replica (pg_is_in_recovery() is false: a primary" + (firstAnswer ? ")" : ", promoted since)");
        }
        if (!firstAnswer) {
            return null;
        }
        String system = primaryIdentity.systemIdentifier() == null ? null : systemIdentifier(c);
        if (system != null && !primaryIdentity.systemIdentifier().equals(system)) {
            return "is a replica of another cluster (system identifier " + system
                    + ", the primary's is " + primaryIdentity.systemIdentifier() + ")";
        }
        if (!primaryIdentity.database().equals(r.getString("database"))) {
            return "is another database (" + r.getString("database") + ", the primary's is "
                    + primaryIdentity.database() + ")";
        }
        return null;
    }

    /**
     * How long the replica's reads may be behind: 0 when it has replayed the
     * last position noted before this check began; else the time since the
     * last noted position it has replayed (since the oldest noted one when it
     * has replayed none of them).
     */
    private double lagSeconds(Lsn replayed, long checkedAt) {
        synchronized (samples) {
            Sample covered = null;
            Sample oldest = null;
            boolean behind = false;
            for (Sample sample : samples) {
                if (sample.at() - checkedAt > 0) {
                    break;   // noted after the check began
                }
                if (oldest == null) {
                    oldest = sample;
                }
                if (sample.position().isAfter(replayed)) {
                    behind = true;
                    break;
                }
                covered = sample;
            }
            if (!behind) {
                return 0;
            }
            long since = covered != null ? covered.at() : oldest.at();
            return Math.max(0, checkedAt - since) / 1e9;
        }
    }

    private Connection connection(Replica replica) throws SQLException {
        Connection c = connections.get(replica);
        if (c == null || c.isClosed()) {
            Properties credentials = new Properties();
            replica.url().user().ifPresent(u -> credentials.setProperty("user", u));
            replica.url().password().ifPresent(p -> credentials.setProperty("password", p));
            credentials.setProperty("socketTimeout", "5");
            c = new Driver().connect(ConfiguredDataSource.withDefaults(replica.url().jdbcUrl(), "lockin-monitor"), credentials);
            if (c == null) {
                throw new SQLException("not a PostgreSQL URL", "08001");
            }
            connections.put(replica, c);
        }
        return c;
    }

    private void closeConnection(Replica replica) {
        Connection c = connections.remove(replica);
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.log(Level.FINE, "Closing a replica's check connection", e);
            }
        }
    }

    private void closeConnections() {
        for (Replica replica : List.copyOf(connections.keySet())) {
            closeConnection(replica);
        }
    }
}
