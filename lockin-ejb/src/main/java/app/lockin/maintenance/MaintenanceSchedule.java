package app.lockin.maintenance;

import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.config.Durations;

/**
 * How often the claimed maintenance jobs are due: every
 * {@code LOCKIN_ARCHIVE_SCHEDULE} (an ISO-8601 duration such as {@code PT5M},
 * or {@code 30s}, {@code 5m}, {@code 1h}; default five minutes; at least a
 * second), by the database's clock, or never when it is {@code off}. The
 * archival and the two purges share it, so {@code off} stops all three; the
 * runaway guard is not on it and runs on every tick.
 */
@ApplicationScoped
public class MaintenanceSchedule {

    static final String SETTING = "LOCKIN_ARCHIVE_SCHEDULE";

    @Inject
    @ConfigProperty(name = SETTING, defaultValue = "PT5M")
    String setting;

    private Optional<Duration> every;

    @PostConstruct
    void read() {
        every = interval(setting);
    }

    /** Every how long the claimed jobs run; empty when they are off. */
    Optional<Duration> every() {
        return every;
    }

    /**
     * How long after a job's last run a tick may claim it again: the
     * interval less half a tick, so a run due just after a tick is not put
     * off by a whole tick; empty when off.
     */
    Optional<Duration> claimAfter() {
        return every.map(interval -> interval.minus(MaintenanceTick.TICK.dividedBy(2)));
    }

    /** The setting's interval, or empty for {@code off}. */
    static Optional<Duration> interval(String value) {
        return "off".equalsIgnoreCase(value.strip()) ? Optional.empty() : Optional.of(duration(value));
    }

    /** {@code PT5M}, {@code 5m}, {@code 30s}, {@code 1h} or plain seconds; at least one second. */
    static Duration duration(String value) {
        return Durations.parse(SETTING, value, Duration.ofSeconds(1));
    }
}
