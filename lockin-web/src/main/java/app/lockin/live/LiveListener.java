package app.lockin.live;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import app.lockin.database.ConfiguredDataSource;
import app.lockin.database.Lsn;
import app.lockin.database.Replicas;

/**
 * Hears what the database says changed. One thread LISTENs on the channel
 * {@code lockin_live} on a connection of its own, outside the pool
 * (PostgreSQL delivers a message to every listening instance when, and only
 * if, its transaction commits; the triggers of R__12_live.sql send them, so
 * every writer is covered), and hands what it hears to {@link MessageRouter}.
 * <p>
 * A cut network shows no error by itself, so after 15 quiet seconds the
 * connection makes a round trip. When the connection is lost (a database
 * restart, a network cut) it connects again, half a second to five seconds
 * apart, and then catches up on what it may have missed: every board stream
 * gets a fresh board, the notifications written since shortly before the
 * loss are sent again, and the goal checks run.
 */
@ApplicationScoped
public class LiveListener {

    private static final Logger LOG = Logger.getLogger(LiveListener.class.getName());
    private static final String CHANNEL = "lockin_live";
    /** How long the listener waits for messages before it checks its connection. */
    private static final int WAIT_MILLIS = 5_000;
    private static final Duration CHECK_QUIET_CONNECTION = Duration.ofSeconds(15);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MOST_BACKOFF = Duration.ofSeconds(5);
    /** Notifications written this long before the listener was lost are sent again after it reconnects (clocks differ). */
    private static final Duration MISSED_MARGIN = Duration.ofSeconds(10);

    @Resource
    ManagedThreadFactory threads;

    @Inject
    LiveExecutor executor;

    @Inject
    MessageRouter router;

    @Inject
    BoardStreams boards;

    @Inject
    CurrentBoards currentBoards;

    @Inject
    GoalCheckWakeUp goalChecks;

    @Inject
    Replicas replicas;

    /** With replicas: the primary's log position when this instance last heard from the database (null before). */
    private volatile Lsn heard;

    private volatile boolean running;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Instant lostAt = Instant.now();
    private volatile Connection connection;
    private volatile boolean connected;
    private Thread thread;

    void start() {
        running = true;
        thread = threads.newThread(this::listen);
        thread.setName("lockin-live-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops listening: closes the connection and ends the thread. */
    void stop() {
        running = false;
        stopped.countDown();
        closeConnection();
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * With replicas, where the primary's log stood just after this instance
     * last heard messages (or connected): past the commit of every change it
     * has heard of, so a board read after it shows them. Null without replicas.
     */
    Lsn heard() {
        return heard;
    }

    /** Whether this instance hears the database's messages now. */
    boolean connected() {
        return connected;
    }

    private void listen() {
        Duration backoff = FIRST_BACKOFF;
        boolean first = true;
        while (running) {
            try (Connection c = new ConfiguredDataSource().getConnection()) {
                connection = c;
                c.setAutoCommit(true);
                c.setNetworkTimeout(Runnable::run, (int) CHECK_QUIET_CONNECTION.multipliedBy(2).toMillis());
                try (Statement st = c.createStatement()) {
                    // named, so an operator sees it in pg_stat_activity
                    st.execute("set application_name = 'lockin-live'");
                    st.execute("LISTEN " + CHANNEL);
                }
                hear(c);
                // boards read before now may miss what was said while nobody listened
                currentBoards.changedAll();
                connected = true;
                backoff = FIRST_BACKOFF;
                if (!first) {
                    catchUp();
                }
                first = false;
                receive(c);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "Lost the database's live updates (" + e.getMessage() + "); connecting again in "
                            + backoff.toMillis() + " ms");
                }
            } finally {
                if (connected) {
                    lostAt = Instant.now();
                }
                connected = false;
                connection = null;
            }
            if (running) {
                backOff(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MOST_BACKOFF) > 0 ? MOST_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Listening again after a loss: what may have been missed meanwhile, sent again. */
    private void catchUp() {
        LOG.info("Listening to the database's live updates again; every board stream gets a fresh board");
        boards.refreshAll();
        Instant missedSince = lostAt.minus(MISSED_MARGIN);
        executor.execute(() -> router.deliverMissed(missedSince));
        executor.execute(goalChecks::check);
    }

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (running) {
            PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
            if (received != null && received.length > 0) {
                quietSince = System.nanoTime();
                hear(c);
                router.route(Arrays.stream(received).map(PGNotification::getParameter).toList());
            } else if (System.nanoTime() - quietSince > CHECK_QUIET_CONNECTION.toNanos()) {
                // a cut network shows no error by itself: a round trip does
                try (Statement st = c.createStatement()) {
                    st.execute("select 1");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    /** With replicas: notes the primary's position now, before what was heard is acted on. */
    private void hear(Connection c) throws SQLException {
        if (!replicas.configured()) {
            return;
        }
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("select pg_current_wal_insert_lsn()::text")) {
            r.next();
            heard = Lsn.later(heard, Lsn.parse(r.getString(1)));
        }
    }

    private void closeConnection() {
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    /** Waits before connecting again, or less when the application stops meanwhile. */
    private void backOff(Duration d) {
        try {
            stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
