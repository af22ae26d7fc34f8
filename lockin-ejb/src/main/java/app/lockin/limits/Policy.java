package app.lockin.limits;

import java.time.Duration;
import java.util.UUID;

import io.github.bucket4j.BucketConfiguration;

/** A limit as configured: {@code quota} requests, refilled evenly over {@code window}. */
public record Policy(Limit limit, long quota, Duration window) {

    public Policy {
        if (quota < 1 || window.toSeconds() < 1) {
            throw new IllegalArgumentException("a quota of at least 1 over at least one second");
        }
    }

    /** The policy as {@code RateLimit-Policy} states it: {@code "writes";q=120;w=60}. */
    public String header() {
        return "\"" + limit.label() + "\";q=" + quota + ";w=" + window.toSeconds();
    }

    /** As {@code LOCKIN_RATE_LIMITS} writes it: {@code writes=120/60s}. */
    @Override
    public String toString() {
        return limit.label() + "=" + quota + "/" + window.toSeconds() + "s";
    }

    /**
     * The caller's bucket of this policy. The key names the quota and window
     * too: a changed setting starts fresh buckets, and the old ones expire.
     */
    String bucketKey(UUID caller) {
        return limit.label() + "/" + quota + "/" + window.toSeconds() + "/" + caller;
    }

    BucketConfiguration bucket() {
        return BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(quota).refillGreedy(quota, window))
                .build();
    }
}
