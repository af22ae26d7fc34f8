package app.lockin.live;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import app.lockin.progress.GoalChecks;

/**
 * Runs the goal checks when the database says the next one is due, so a
 * goal crossed while the clock runs gives its milestones within 2 s, with no
 * request to make it happen. The moment comes from a {@code
 * GoalCheckDue} message or from the checks' own answer; only the earliest
 * wake-up is kept, a little after the moment so the database's clock has
 * passed it too. Every half minute the checks run anyway, in case a message
 * was missed. Every instance runs them: the database's function takes each
 * due check once.
 */
@ApplicationScoped
public class GoalCheckWakeUp {

    private static final Duration POLL = Duration.ofSeconds(30);
    /** After the moment, so the database's clock has passed it too. */
    private static final long LATE_MILLIS = 10;
    /** Checks still due right after a run (over 500 at once, or a clock ahead of the database's) wait this long, not a loop. */
    private static final long AGAIN_MILLIS = 100;

    @Inject
    LiveExecutor executor;

    @Inject
    GoalChecks goalChecks;

    private ScheduledFuture<?> wake;
    private Instant wakeAt;

    /** The half-minute checks, and one now. */
    void start() {
        executor.every(this::check, POLL.toSeconds(), TimeUnit.SECONDS);
        executor.execute(this::check);
    }

    /** Wakes the checks at {@code at}, unless a wake-up is due earlier already. */
    synchronized void at(Instant at) {
        if (wake != null && !wake.isDone() && wakeAt != null && !at.isBefore(wakeAt)) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = at;
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis()) + LATE_MILLIS;
        wake = executor.schedule(this::check, delay, TimeUnit.MILLISECONDS);
    }

    /** Writes the milestones of the due checks, and wakes again when the next one is due. */
    void check() {
        synchronized (this) {
            // this run is the wake-up: the next one is scheduled afresh (by the messages of this run, or below)
            wake = null;
            wakeAt = null;
        }
        Optional<Instant> next = goalChecks.processDue();
        next.ifPresent(at -> {
            Instant earliest = Instant.now().plusMillis(AGAIN_MILLIS);
            at(at.isBefore(earliest) ? earliest : at);
        });
    }
}
