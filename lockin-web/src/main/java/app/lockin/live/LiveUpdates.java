package app.lockin.live;

import java.time.Duration;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import app.lockin.live.StreamEvents.EndReason;

/**
 * This instance's live updates, started with the application and stopped
 * before it, each job a class of its own: {@link LiveListener} hears what the
 * database says changed and {@link MessageRouter} takes it to the streams;
 * {@link GoalCheckWakeUp} runs the goal checks when one is due; {@link
 * StreamExpiry} ends streams whose token expired; {@link StreamPings} pings
 * idle ones. When the application stops, every stream ends at once, so its
 * client reconnects to another instance.
 * <p>
 * Metrics: {@code lockin_streams_open} (event streams open on this instance),
 * {@code lockin_streams_limit} (the most it holds: {@link LiveStreams#limit()})
 * and {@code lockin_live_listening} (1 while it hears the database).
 */
@ApplicationScoped
public class LiveUpdates {

    private static final Logger LOG = Logger.getLogger(LiveUpdates.class.getName());

    @Inject
    LiveListener listener;

    @Inject
    GoalCheckWakeUp goalChecks;

    @Inject
    StreamExpiry expiry;

    @Inject
    StreamPings pings;

    @Inject
    LiveExecutor executor;

    @Inject
    BoardStreams boards;

    @Inject
    MeStreams mine;

    @Inject
    LiveStreams streams;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    private volatile boolean running;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        metrics.gauge("lockin_streams_open", this, LiveUpdates::openStreams);
        metrics.gauge("lockin_live_listening", this, live -> live.connected() ? 1 : 0);
        metrics.gauge("lockin_streams_limit", streams, LiveStreams::limit);
        LOG.info(() -> "Live updates: this instance holds at most " + streams.limit() + " event streams open");
        running = true;
        listener.start();
        expiry.start();
        pings.start();
        goalChecks.start();
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
        listener.stop();
        boards.endAll(EndReason.SHUTTING_DOWN);
        mine.endAll(EndReason.SHUTTING_DOWN);
        executor.finishWriting(Duration.ofSeconds(2));
    }

    /** Whether this instance hears the database's messages now. */
    public boolean connected() {
        return listener.connected();
    }

    /** How many streams are open on this instance. */
    public int openStreams() {
        return boards.count() + (int) mine.subscribers().count();
    }
}
