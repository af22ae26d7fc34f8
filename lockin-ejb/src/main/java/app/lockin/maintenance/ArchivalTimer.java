package app.lockin.maintenance;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.config.Durations;
import app.lockin.idempotency.IdempotencyKeys;
import app.lockin.sessions.RunawayGuard;

/**
 * Runs the runaway guard, the archival and the purge of expired idempotency keys every {@code LOCKIN_ARCHIVE_SCHEDULE} (an ISO-8601
 * duration such as {@code PT5M}, or {@code 30s}, {@code 5m}, {@code 1h};
 * default five minutes; {@code off} disables it). A non-persistent EJB
 * interval timer per instance: several instances each tick, and the
 * database lets one run at a time do the work.
 */
@Singleton
@Startup
@DependsOn("Migrations")
public class ArchivalTimer {

    private static final Logger LOG = Logger.getLogger(ArchivalTimer.class.getName());

    @Resource
    TimerService timers;

    @EJB
    Archival archival;

    @EJB
    RunawayGuard runaways;

    @EJB
    IdempotencyKeys idempotencyKeys;

    @Inject
    @ConfigProperty(name = "LOCKIN_ARCHIVE_SCHEDULE", defaultValue = "PT5M")
    String schedule;

    @PostConstruct
    void schedule() {
        if ("off".equalsIgnoreCase(schedule.strip())) {
            LOG.info("Archival timer is off (LOCKIN_ARCHIVE_SCHEDULE=off)");
            return;
        }
        Duration every = interval(schedule);
        timers.createIntervalTimer(every.toMillis(), every.toMillis(), new TimerConfig("archive-expired-groups", false));
        LOG.info(() -> "Archiving expired groups every " + every);
    }

    /**
     * Pauses runaway segments first (so a forgotten session in a group that
     * has just ended is closed where the guard says, not at the archival),
     * then archives. Each step fails alone; the next tick tries again, and a
     * failed run never cancels the timer.
     */
    @Timeout
    void tick() {
        try {
            int paused = runaways.pauseRunaways();
            if (paused > 0) {
                LOG.info(() -> "Paused " + paused + " runaway session(s)");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Runaway guard failed: {0}", e.getMessage());
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
    }

    /** {@code PT5M}, {@code 5m}, {@code 30s}, {@code 1h} or plain seconds; at least one second. */
    static Duration interval(String value) {
        return Durations.parse("LOCKIN_ARCHIVE_SCHEDULE", value, Duration.ofSeconds(1));
    }
}
