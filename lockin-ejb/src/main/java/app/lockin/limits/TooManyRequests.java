package app.lockin.limits;

import java.time.Duration;

import jakarta.ejb.ApplicationException;

/** A request over one of the caller's fair-use limits (429, with {@code Retry-After}). */
@ApplicationException(rollback = true)
public class TooManyRequests extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /** Where the caller stands under {@code policy} is in the request's {@link TakenAllowances} (the RateLimit headers). */
    TooManyRequests(Policy policy, long retryAfterSeconds) {
        super(detail(policy, retryAfterSeconds));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When the caller may try again: the seconds until the bucket holds what the request needs. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static String detail(Policy policy, long retryAfter) {
        String rate = policy.quota() + " " + per(policy.window());
        String again = "try again in " + retryAfter + " s.";
        return switch (policy.limit()) {
            case WRITES -> "You are making changes too fast (at most " + rate + "); " + again;
            case READS -> "You are asking for data too often (at most " + rate + "); " + again;
            case INVITES -> "You have sent as many invites and join links as allowed for now (" + rate + "); " + again;
            case STREAMS -> "You have as many live streams open as allowed (" + policy.quota() + "); close one, or " + again;
        };
    }

    private static String per(Duration window) {
        long seconds = window.toSeconds();
        if (seconds == 60) {
            return "a minute";
        }
        if (seconds == 3600) {
            return "an hour";
        }
        if (seconds == 86_400) {
            return "a day";
        }
        return "per " + seconds + " s";
    }
}
