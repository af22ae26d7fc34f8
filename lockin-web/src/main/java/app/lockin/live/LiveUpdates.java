package app.lockin.live;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;

import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import app.lockin.database.ConfiguredDataSource;
import app.lockin.live.LiveMessage.BoardChanged;
import app.lockin.live.LiveMessage.GoalCheckDue;
import app.lockin.live.LiveMessage.GroupArchived;
import app.lockin.live.LiveMessage.MemberChanged;
import app.lockin.live.LiveMessage.NotificationAdded;
import app.lockin.live.LiveMessage.PresenceChanged;
import app.lockin.live.StreamEvents.EndReason;
import app.lockin.notifications.NotificationResponse;
import app.lockin.notifications.Notifications;
import app.lockin.notifications.Notifications.Delivery;
import app.lockin.progress.GoalChecks;

/**
 * What the database says changed, to this instance's streams. One thread
 * LISTENs on the channel {@code lockin_live} on a connection of its own
 * (PostgreSQL delivers a message to every listening instance when, and only
 * if, its transaction commits; the triggers of migration V9 send them, so
 * every writer is covered). After the connection is lost (a database
 * restart, a network cut) it connects again, a second or a few apart, and
 * every board stream gets a fresh board, since changes may have been missed.
 * <p>
 * It also wakes the goal checks when the database says one is due (and every
 * half minute in case a message was missed), ends streams whose token
 * expired, pings idle streams, and ends every stream at once when the
 * application stops, so clients reconnect to another instance.
 * <p>
 * Metrics: {@code lockin_streams_open} (event streams open on this instance),
 * {@code lockin_streams_limit} (the most it holds: {@link LiveStreams#limit()})
 * and {@code lockin_live_listening} (1 while it hears the database).
 */
@ApplicationScoped
public class LiveUpdates {

    private static final Logger LOG = Logger.getLogger(LiveUpdates.class.getName());
    private static final String CHANNEL = "lockin_live";
    /** How long the listener waits for messages before it checks its connection. */
    private static final int WAIT_MILLIS = 5_000;
    private static final Duration CHECK_QUIET_CONNECTION = Duration.ofSeconds(15);
    private static final Duration MOST_BACKOFF = Duration.ofSeconds(5);
    private static final Duration GOAL_POLL = Duration.ofSeconds(30);

    @Resource
    ManagedThreadFactory threads;

    @Inject
    LiveExecutor executor;

    @Inject
    StreamEvents events;

    @Inject
    BoardStreams boards;

    @Inject
    MeStreams mine;

    @Inject
    GoalChecks goalChecks;

    @Inject
    Notifications notifications;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    @Inject
    LiveStreams streams;

    /** Notifications written this long before the listener was lost are sent again after it reconnects (clocks differ). */
    private static final Duration MISSED_MARGIN = Duration.ofSeconds(10);

    private volatile boolean running;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Instant lostAt = Instant.now();
    private volatile Connection connection;
    private volatile boolean connected;
    private Thread listener;
    private ScheduledFuture<?> goalWake;
    private Instant goalWakeAt;
    private long lastPing = System.nanoTime();

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        metrics.gauge("lockin_streams_open", this, LiveUpdates::openStreams);
        metrics.gauge("lockin_live_listening", this, live -> live.connected() ? 1 : 0);
        metrics.gauge("lockin_streams_limit", streams, LiveStreams::limit);
        LOG.info(() -> "Live updates: this instance holds at most " + streams.limit() + " event streams open");
        running = true;
        listener = threads.newThread(this::listen);
        listener.setName("lockin-live-listener");
        listener.setDaemon(true);
        listener.start();
        executor.every(this::housekeeping, 1, TimeUnit.SECONDS);
        executor.every(this::checkGoals, GOAL_POLL.toSeconds(), TimeUnit.SECONDS);
        executor.execute(this::checkGoals);
    }

    void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object applicationStopping) {
        stop();
    }

    /**
     * The application is stopping: every stream ends at once, so its client
     * reconnects elsewhere. Called by {@link JerseyShutdown} on Payara (before
     * the container closes the streams), else when the application's context
     * is destroyed; once.
     */
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopped.countDown();
        closeConnection();
        boards.endAll(EndReason.SHUTTING_DOWN);
        mine.endAll(EndReason.SHUTTING_DOWN);
        executor.finishWriting(Duration.ofSeconds(2));
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** Whether this instance hears the database's messages now. */
    public boolean connected() {
        return connected;
    }

    /** How many streams are open on this instance. */
    public int openStreams() {
        return boards.count() + (int) mine.subscribers().count();
    }

    // ------------------------------------------------------------------ listening

    private void listen() {
        Duration backoff = Duration.ofMillis(500);
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
                connected = true;
                backoff = Duration.ofMillis(500);
                if (!first) {
                    LOG.info("Listening to the database's live updates again; every board stream gets a fresh board");
                    boards.refreshAll();
                    Instant missedSince = lostAt.minus(MISSED_MARGIN);
                    executor.execute(() -> deliverMissed(missedSince));
                    executor.execute(this::checkGoals);
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

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (running) {
            PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
            if (received != null && received.length > 0) {
                quietSince = System.nanoTime();
                dispatch(received);
            } else if (System.nanoTime() - quietSince > CHECK_QUIET_CONNECTION.toNanos()) {
                // a cut network shows no error by itself: a round trip does
                try (Statement st = c.createStatement()) {
                    st.execute("select 1");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    private void dispatch(PGNotification[] received) {
        List<NotificationAdded> added = new ArrayList<>();
        for (PGNotification note : received) {
            Optional<LiveMessage> message = LiveMessage.parse(note.getParameter());
            if (message.isEmpty()) {
                continue;
            }
            LiveMessage m = message.get();
            if (m instanceof BoardChanged board) {
                boards.changed(board.groupId());
            } else if (m instanceof MemberChanged member) {
                if (!member.joined()) {
                    boards.memberLeft(member.groupId(), member.userId());
                }
                mine.memberChanged(member.groupId(), member.userId(), member.joined());
            } else if (m instanceof GroupArchived archived) {
                boards.archived(archived.groupId());
                mine.archived(archived.groupId());
            } else if (m instanceof PresenceChanged p) {
                mine.presenceChanged(p.groupId(), p.userId(), p.sessionId(), p.focusing(), p.hidden());
            } else if (m instanceof NotificationAdded n) {
                if (mine.listens(n.recipientId()) || n.milestone() && boards.listens(n.recipientId(), n.groupId())) {
                    added.add(n);
                }
            } else if (m instanceof GoalCheckDue due) {
                wakeGoalChecksAt(due.at());
            }
        }
        if (!added.isEmpty()) {
            executor.execute(() -> deliver(added));
        }
    }

    /** Reads the new notifications that someone here listens for, in one query, and routes each. */
    private void deliver(List<NotificationAdded> added) {
        Map<UUID, NotificationResponse> byId = notifications.byIds(added.stream().map(NotificationAdded::notificationId).toList())
                .stream().collect(Collectors.toMap(NotificationResponse::id, Function.identity()));
        for (NotificationAdded m : added) {
            NotificationResponse n = byId.get(m.notificationId());
            if (n == null) {
                continue;
            }
            mine.notification(m.recipientId(), n);
            if (m.milestone()) {
                boards.milestone(m.recipientId(), n);
            }
        }
    }

    /**
     * After the listener was lost: the notifications written meanwhile, to
     * the streams of their recipients (a client may get one twice: the
     * OpenAPI document tells them to tell them apart by id).
     */
    private void deliverMissed(Instant since) {
        Set<UUID> recipients = new HashSet<>(mine.recipients());
        boards.subscribers().forEach(s -> recipients.add(s.userId));
        for (Delivery d : notifications.since(recipients, since)) {
            mine.notification(d.recipientId(), d.notification());
            if (d.notification().kind().name().startsWith("MILESTONE_")) {
                boards.milestone(d.recipientId(), d.notification());
            }
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

    // ------------------------------------------------------------------ goals crossed while running

    private synchronized void wakeGoalChecksAt(Instant at) {
        if (goalWake != null && !goalWake.isDone() && goalWakeAt != null && !at.isBefore(goalWakeAt)) {
            return;
        }
        if (goalWake != null) {
            goalWake.cancel(false);
        }
        goalWakeAt = at;
        // a little after the moment, so the database's clock has passed it too
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis()) + 10;
        goalWake = executor.schedule(this::checkGoals, delay, TimeUnit.MILLISECONDS);
    }

    private void checkGoals() {
        synchronized (this) {
            // this run is the wake-up: the next one is scheduled afresh (by the messages of this run, or below)
            goalWake = null;
            goalWakeAt = null;
        }
        Optional<Instant> next = goalChecks.processDue();
        next.ifPresent(at -> {
            // checks left over (over 500 at once) or a clock ahead of the database's: again shortly, not in a loop
            Instant earliest = Instant.now().plusMillis(100);
            wakeGoalChecksAt(at.isBefore(earliest) ? earliest : at);
        });
    }

    // ------------------------------------------------------------------ expiry and pings

    private void housekeeping() {
        Instant now = Instant.now();
        OutboundSseEvent expired = null;
        for (Subscriber s : allSubscribers()) {
            if (s.validUntil.isBefore(now)) {
                if (expired == null) {
                    expired = events.end(EndReason.TOKEN_EXPIRED);
                }
                s.end(expired);
            }
        }
        if (System.nanoTime() - lastPing >= events.pingInterval().toNanos()) {
            lastPing = System.nanoTime();
            OutboundSseEvent ping = events.comment("ping");
            allSubscribers().forEach(s -> s.ping(ping));
        }
    }

    private List<Subscriber> allSubscribers() {
        return java.util.stream.Stream.concat(boards.subscribers(), mine.subscribers()).toList();
    }
}
