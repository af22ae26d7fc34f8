package app.lockin.limits;

import java.time.Duration;
import java.util.Locale;

/**
 * What fair use limits, per caller (API.md "Limits"). Each is a token
 * bucket of {@code quota} tokens refilled over {@code window}: a request
 * that counts takes one, and is refused (429) when none is left.
 */
public enum Limit {

    /** Every POST, PUT, PATCH and DELETE of {@code /api}. */
    WRITES(120, Duration.ofMinutes(1)),

    /** Every GET and HEAD of {@code /api}, the opening of an event stream included. */
    READS(600, Duration.ofMinutes(1)),

    /** Invites (one per person a clone invites) and new join links. */
    INVITES(30, Duration.ofHours(1)),

    /**
     * Open event streams: a stream takes a place while it is open and gives
     * it back when it closes. The refill (one place every 6 minutes with the
     * default) returns the places of streams an instance never closed (it
     * died): a token bucket cannot tell those from streams still open.
     */
    STREAMS(10, Duration.ofHours(1));

    private final long defaultQuota;
    private final Duration defaultWindow;

    Limit(long defaultQuota, Duration defaultWindow) {
        this.defaultQuota = defaultQuota;
        this.defaultWindow = defaultWindow;
    }

    /** Its name in {@code LOCKIN_RATE_LIMITS} and in the RateLimit headers. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    Policy defaultPolicy() {
        return new Policy(this, defaultQuota, defaultWindow);
    }
}
