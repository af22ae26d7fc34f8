package app.lockin.limits;

import java.time.Duration;
import java.util.Locale;

/**
 * What fair use limits, per caller (API.md "Limits"). Each is a token
 * bucket of {@code quota} tokens refilled over {@code window}: a request
 * that counts takes one, and is refused (429) when none is left.
 */
public enum Limit {

    /** Every POST, PUT, PATCH and DELETE of {@code /api}: counted exactly. */
    WRITES(120, Duration.ofMinutes(1), false),

    /**
     * Every GET and HEAD of {@code /api}, the opening of an event stream
     * included. The one limit counted in batches (see {@link Policy#batch()}):
     * reads are most requests, and a bucket transaction each halved the
     * reads' throughput (BENCHMARKS.md, issue 26).
     */
    READS(600, Duration.ofMinutes(1), true),

    /** Invites (one per person a clone invites) and new join links: counted exactly. */
    INVITES(30, Duration.ofHours(1), false),

    /**
     * Open event streams: a stream takes a place while it is open and gives
     * it back when it closes. The refill (one place every 6 minutes with the
     * default) returns the places of streams an instance never closed (it
     * died): a token bucket cannot tell those from streams still open.
     */
    STREAMS(10, Duration.ofHours(1), false);

    private final long defaultQuota;
    private final Duration defaultWindow;
    private final boolean batched;

    Limit(long defaultQuota, Duration defaultWindow, boolean batched) {
        this.defaultQuota = defaultQuota;
        this.defaultWindow = defaultWindow;
        this.batched = batched;
    }

    /** Whether an instance may count a few of a caller's requests before it writes them to the shared bucket. */
    boolean batched() {
        return batched;
    }

    /** Its name in {@code LOCKIN_RATE_LIMITS} and in the RateLimit headers. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    Policy defaultPolicy() {
        return new Policy(this, defaultQuota, defaultWindow);
    }
}
