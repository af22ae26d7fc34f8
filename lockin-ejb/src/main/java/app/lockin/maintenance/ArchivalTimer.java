package app.lockin.maintenance;

import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.config.Durations;
import app.lockin.idempotency.IdempotencyKeys;
import app.lockin.limits.FairUse;
import app.lockin.sessions.RunawayGuard;

/**
 * The server's clockwork: one non-persistent {@code @Schedule} tick every
 * {@link #TICK} on each instance. Every tick runs the runaway guard; the
 * archival (with the purge of expired idempotency keys and of full
 * fair-use buckets) runs on the tick
 * that finds it due by {@code LOCKIN_ARCHIVE_SCHEDULE} (an ISO-8601 duration
 * such as {@code PT5M}, or {@code 30s}, {@code 5m}, {@code 1h}; default five
 * minutes; {@code off} disables it), by the database's clock, and only one
 * instance of the cluster has each due run ({@link MaintenanceJobs}).
 */
@Singleton
@Startup
@DependsOn("Migrations")
public class ArchivalTimer {

    /** How often every instance ticks; an archival interval shorter than this runs on every tick. */
    private static final int TICK_SECONDS = 5;
    static final Duration TICK = Duration.ofSeconds(TICK_SECONDS);

    private static final Logger LOG = Logger.getLogger(ArchivalTimer.class.getName());
    private static final String ARCHIVAL = "archive-expired-groups";

    @EJB
    Archival archival;

    @EJB
    RunawayGuard runaways;

    @EJB
    IdempotencyKeys idempotencyKeys;

    @EJB
    MaintenanceJobs jobs;

    @EJB
    FairUse fairUse;

    @Inject
    @ConfigProperty(name = "LOCKIN_ARCHIVE_SCHEDULE", defaultValue = "PT5M")
    String schedule;

    /** Every how long the archival is due; empty when it is off. */
    private Optional<Duration> archivalEvery;

    @PostConstruct
    void readSchedule() {
        archivalEvery = archivalInterval(schedule);
        LOG.info(archivalEvery.map(every -> "Archiving expired groups every " + every)
                .orElse("Archival timer is off (LOCKIN_ARCHIVE_SCHEDULE=off); the runaway guard still runs"));
    }

    /**
     * Pauses runaway segments first (so a forgotten session in a group that
     * has just ended is closed where the guard says, not at the archival),
     * then archives when due. Each step fails alone; the next tick tries
     * again, and a failed run never stops the timer.
     */
    @Schedule(second = "*/" + TICK_SECONDS, minute = "*", hour = "*", persistent = false, info = "lockin-maintenance-tick")
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        try {
            int paused = runaways.pauseRunaways();
            if (paused > 0) {
                LOG.info(() -> "Paused " + paused + " runaway session(s)");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Runaway guard failed: {0}", e.getMessage());
        }
        if (archivalEvery.isEmpty() || !claimed(archivalEvery.get())) {
            return;
        }
        try {
            Archival.Run run = archival.archiveExpiredGroups();
            if (run.archived() > 0) {
                LOG.info(() -> "Archived " + run.archived() + " expired group(s)");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Archival run failed: {0}", e.getMessage());
        }
        try {
            idempotencyKeys.purgeExpired();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Purging expired idempotency keys failed: {0}", e.getMessage());
        }
        try {
            fairUse.purgeExpired();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Purging full fair-use buckets failed: {0}", e.getMessage());
        }
    }

    /** Whether this instance has the archival's due run (half a tick early counts, so ticks do not skip it). */
    private boolean claimed(Duration every) {
        try {
            return jobs.claimDue(ARCHIVAL, every.minus(TICK.dividedBy(2)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not tell whether the archival is due: {0}", e.getMessage());
            return false;
        }
    }

    /** The archival's interval, or empty for {@code off}. */
    static Optional<Duration> archivalInterval(String value) {
        return "off".equalsIgnoreCase(value.strip()) ? Optional.empty() : Optional.of(interval(value));
    }

    /** {@code PT5M}, {@code 5m}, {@code 30s}, {@code 1h} or plain seconds; at least one second. */
    static Duration interval(String value) {
        return Durations.parse("LOCKIN_ARCHIVE_SCHEDULE", value, Duration.ofSeconds(1));
    }
}
