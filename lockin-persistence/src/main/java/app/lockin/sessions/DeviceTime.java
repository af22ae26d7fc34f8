package app.lockin.sessions;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import app.lockin.rules.Invalid;

/**
 * When a client says an action happened (the {@code at} of a state change,
 * for apps that were offline), as the server takes it: not in the future (a
 * device clock up to five seconds ahead is taken as now), and not older than
 * the offline grace, after which periods are final. Without {@code at}, now.
 */
public final class DeviceTime {

    static final Duration AHEAD_TAKEN_AS_NOW = Duration.ofSeconds(5);

    private DeviceTime() {
    }

    /** The instant to record, to the microsecond the database keeps; {@code now} is the database's clock. */
    public static Instant resolve(Instant deviceAt, Instant now, Duration offlineGrace) {
        if (deviceAt == null) {
            return now;
        }
        Instant at = stored(deviceAt);
        if (at.isAfter(now.plus(AHEAD_TAKEN_AS_NOW))) {
            throw new Invalid("at", "is in the future (the server's time is " + now + ")");
        }
        if (at.isAfter(now)) {
            return now;
        }
        if (at.isBefore(now.minus(offlineGrace))) {
            throw new Invalid("at", "is older than the offline grace of " + describe(offlineGrace)
                    + ": periods that old are final");
        }
        return at;
    }

    /**
     * An instant as the database stores it (microseconds): compared with what it
     * reads back, a nanosecond more or less must not decide an order.
     */
    public static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** {@code 48 hours}, {@code 90 minutes}, {@code 30 seconds}. */
    public static String describe(Duration duration) {
        if (duration.toSeconds() % 3600 == 0) {
            return duration.toHours() + " hours";
        }
        if (duration.toSeconds() % 60 == 0) {
            return duration.toMinutes() + " minutes";
        }
        return duration.toSeconds() + " seconds";
    }
}
