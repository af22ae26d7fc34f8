package app.lockin.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import app.lockin.database.Replicas.Health;
import app.lockin.database.Replicas.Replica;

/**
 * Where a read goes: to a replica of {@code DATABASE_READ_URL} when one may
 * serve it, else to the primary (through the persistence unit, as every
 * read did before replicas). A read goes to a replica only
 * <ul>
 * <li>outside a transaction (a read inside a write's transaction is part of
 * it, on the primary),</li>
 * <li>when the replica its pooled connection leads to is healthy
 * ({@link ReplicaMonitor}: reachable, lag within the bound),</li>
 * <li>and when that replica has replayed the position the read must show
 * ({@link ReadPosition}: the caller's last write), waiting for it at most
 * {@code LOCKIN_REPLICA_WAIT} (default 200 ms).</li>
 * </ul>
 * A replica that fails the read (unreachable, shut down, a query cancelled
 * by its recovery) is passed over and the primary answers instead; a failure
 * the primary would give as well (a rule of the database: 404, 422) is the
 * answer. Counted in {@code lockin_reads_total{target="replica"|"primary"}}.
 * <p>
 * Queries are written as for JPA ({@code ?1}, {@code ?2}) and their rows are
 * {@link Row}s wherever they come from ({@link NativeSql}). Reads that need
 * one transaction (a cursor, one snapshot across statements: the exports)
 * go through {@link #snapshot}.
 */
@ApplicationScoped
public class Reads {

    private static final Logger LOG = Logger.getLogger(Reads.class.getName());
    /** How long a read waiting for a replica's replay sleeps between two looks. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Resource(lookup = Migrations.DATA_SOURCE)
    DataSource primary;

    @Resource(lookup = Migrations.READ_DATA_SOURCE)
    DataSource replicaPool;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    Replicas replicas;

    @EJB
    PrimarySnapshots primarySnapshots;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    private Counter replicaReads;
    private Counter primaryReads;

    @PostConstruct
    void counters() {
        replicaReads = metrics.counter("lockin_reads_total", new Tag("target", "replica"));
        primaryReads = metrics.counter("lockin_reads_total", new Tag("target", "primary"));
    }

    /** The rows of a query, showing at least the request's {@link ReadPosition}. */
    public List<Row> list(String sql, Object... parameters) {
        return listAfter(requestPosition(), sql, parameters);
    }

    /** The rows of a query, showing every transaction committed before {@code after} (null: any recent state). */
    public List<Row> listAfter(Lsn after, String sql, Object... parameters) {
        if (replicas.configured() && !inTransaction()) {
            List<Row> rows = onReplica(after, sql, parameters);
            if (rows != null) {
                replicaReads.inc();
                return rows;
            }
        }
        primaryReads.inc();
        Query query = em.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return Rows.list(query);
    }

    /**
     * The primary's log position now ({@code pg_current_wal_insert_lsn()}):
     * asked after a commit, it is past the commit's record, so a replica that
     * has replayed it shows that transaction. (Not {@code pg_current_wal_lsn()},
     * the position written out so far: with {@code synchronous_commit = off} a
     * commit returns before its record is written, and that position may be
     * short of it: a writer's next read was stale.)
     */
    public Lsn primaryPosition() {
        try (Connection c = primary.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select pg_current_wal_insert_lsn()::text")) {
            r.next();
            return Lsn.parse(r.getString(1));
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** The rows from a replica that may serve this read, or null when none may (or it failed). */
    private List<Row> onReplica(Lsn after, String sql, Object[] parameters) {
        Chosen chosen = replicaFor(after);
        if (chosen == null) {
            return null;
        }
        try (Connection connection = chosen.connection()) {
            return NativeSql.list(connection, sql, parameters);
        } catch (SQLException e) {
            if (passedOver(chosen.replica(), e)) {
                return null;
            }
            throw new PersistenceException(e);
        }
    }

    /**
     * Work that reads through one connection in one transaction, read only,
     * at repeatable read: one snapshot for all its statements, and cursors
     * that bring their rows a batch at a time ({@link Cursors}). Done on a
     * replica that may serve the request's reads (as {@link #list}), else on
     * the primary in a transaction of its own. A replica that fails as the
     * transaction begins is passed over; once the work has begun there, a
     * failure is the work's (rows may have been handed on: an export
     * streaming them cannot start again elsewhere).
     */
    public void snapshot(Reading work) {
        if (replicas.configured() && !inTransaction() && snapshotOnReplica(work)) {
            return;
        }
        primaryReads.inc();
        primarySnapshots.read(work);
    }

    /** The work done on a replica that may serve the request's reads; false when none may (nothing was done). */
    private boolean snapshotOnReplica(Reading work) {
        Chosen chosen = replicaFor(requestPosition());
        if (chosen == null) {
            return false;
        }
        try (Connection connection = chosen.connection()) {
            if (!begin(connection, chosen.replica())) {
                return false;
            }
            replicaReads.inc();
            try {
                work.read(connection);
            } finally {
                end(connection);
            }
            return true;
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** Begins the read-only transaction on the replica; false when the replica fails meanwhile (passed over). */
    private boolean begin(Connection connection, Replica replica) throws SQLException {
        try {
            connection.setAutoCommit(false);
            readOnlySnapshot(connection);
            return true;
        } catch (SQLException e) {
            if (passedOver(replica, e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Ends the replica's transaction (nothing to keep: a rollback) and gives
     * the connection back as it came. A connection that fails to is broken,
     * which the pool's validation finds; the work's own outcome stands.
     */
    private static void end(Connection connection) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.log(Level.FINE, "A replica's read-only transaction could not be ended; its connection is broken", e);
        }
    }

    /** Makes the connection's transaction read only, at repeatable read (one snapshot for all its statements): its first statement. */
    static void readOnlySnapshot(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("set transaction isolation level repeatable read, read only");
        }
    }

    /** A pooled connection to a replica, and which one it leads to. */
    private record Chosen(Connection connection, Replica replica) {
    }

    /**
     * A connection to a healthy replica that has replayed {@code after}
     * (waiting for it within the bound), or null when none may serve the
     * read (the connection then given back) or the replica failed (passed over).
     */
    private Chosen replicaFor(Lsn after) {
        if (!replicas.anyHealthy()) {
            return null;
        }
        Connection connection = null;
        Replica replica = null;
        try {
            connection = replicaPool.getConnection();
            replica = replicas.byPoolUrl(connection.getMetaData().getURL());
            if (replica != null && replica.health() == Health.HEALTHY && reached(connection, replica, after)) {
                return new Chosen(connection, replica);
            }
        } catch (SQLException e) {
            if (!passedOver(replica, e)) {
                closeQuietly(connection);
                throw new PersistenceException(e);
            }
        }
        closeQuietly(connection);
        return null;
    }

    /**
     * Whether a failed read on the replica is the replica's fault, which the
     * primary then answers: the replica is marked down until the monitor's
     * next look (but for a query it cancelled or refused, which says nothing
     * of its health).
     */
    private static boolean passedOver(Replica replica, SQLException e) {
        if (!replicaFault(e)) {
            return false;
        }
        if (replica != null && !"25006".equals(e.getSQLState()) && !"40001".equals(e.getSQLState())) {
            replica.checked(Health.DOWN, Double.NaN);
        }
        LOG.log("25006".equals(e.getSQLState()) ? Level.WARNING : Level.FINE, e,
                () -> "A read on the replica " + replica + " failed; the primary answers it");
        return true;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // given back anyway
            }
        }
    }

    /**
     * Whether the replica shows {@code after}: known from an earlier look, or
     * looked at now (again every 2 ms until the wait's bound).
     */
    private boolean reached(Connection connection, Replica replica, Lsn after) throws SQLException {
        if (after == null || replica.reached(after)) {
            return true;
        }
        long deadline = System.nanoTime() + replicas.waitForPosition().toNanos();
        try (Statement s = connection.createStatement()) {
            while (true) {
                try (ResultSet r = s.executeQuery("select pg_last_wal_replay_lsn()::text")) {
                    r.next();
                    String replayed = r.getString(1);
                    replica.replayed(replayed == null ? null : Lsn.parse(replayed));
                }
                if (replica.reached(after)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(left, POLL_NANOS));
            }
        }
    }

    /**
     * A failure of the replica rather than of the read: unreachable or lost
     * (class 08), shut down or starting (57P), out of connections (53), or a
     * query its recovery cancelled (40001 on a replica) or that writes (25006:
     * not a read at all).
     */
    private static boolean replicaFault(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.isEmpty() || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                || state.equals("40001") || state.equals("25006");
    }

    private boolean inTransaction() {
        return transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION;
    }

    /** The position the request being served must show ({@link ReadPosition}), or null (none, or no request: a live stream's board gives its own). */
    public Lsn requestPosition() {
        return ReadPosition.current();
    }
}
