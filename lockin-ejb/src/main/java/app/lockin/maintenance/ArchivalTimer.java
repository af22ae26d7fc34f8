package app.lockin.maintenance;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
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

/**
 * Runs the archival every {@code LOCKIN_ARCHIVE_SCHEDULE} (an ISO-8601
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

    @Timeout
    void tick() {
        try {
            int archived = archival.archiveExpiredGroups();
            if (archived > 0) {
                LOG.info(() -> "Archived " + archived + " expired group(s)");
            }
        } catch (RuntimeException e) {
            // the next tick tries again; a failed run must not cancel the timer
            LOG.log(Level.WARNING, "Archival run failed: {0}", e.getMessage());
        }
    }

    /** {@code PT5M}, {@code 5m}, {@code 30s}, {@code 1h} or plain seconds; at least one second. */
    static Duration interval(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            Duration duration;
            if (text.startsWith("p")) {
                duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            } else if (text.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("h")) {
                duration = Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                duration = Duration.ofSeconds(Long.parseLong(text));
            }
            if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("LOCKIN_ARCHIVE_SCHEDULE must be at least one second: " + value);
            }
            return duration;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("LOCKIN_ARCHIVE_SCHEDULE is not a duration (PT5M, 5m, 30s): " + value, e);
        }
    }
}
