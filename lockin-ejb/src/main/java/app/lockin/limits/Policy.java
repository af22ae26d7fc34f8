package app.lockin.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;

/** A limit as configured: {@code quota} requests, refilled evenly over {@code window}. */
public record Policy(Limit limit, long quota, Duration window) {

    /** The share of a batched limit's quota an instance may count before it writes to the shared bucket: 1/20 (5 %). */
    static final long BATCH_SHARE = 20;

    /** The longest an instance counts a batched limit without writing to the shared bucket. */
    static final Duration BATCH_TIME = Duration.ofSeconds(3);

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

    /**
     * How an instance may count this limit before it tells the shared bucket
     * (Bucket4j's delaying optimization): for a batched limit ({@link
     * Limit#batched()}, the reads) with a quota of 20 or more, up to 1/20 of
     * the quota ({@link #BATCH_SHARE}: 30 of the default 600 reads) and for
     * at most {@link #BATCH_TIME}; the next request past either writes them
     * all in one bucket transaction and reads what the other instances
     * counted. So a caller may get at most that many requests more than the
     * quota per instance, and an instance that dies forgets at most that
     * many. Empty: counted exactly, a bucket transaction per request.
     */
    Optional<DelayParameters> batch() {
        long tokens = quota / BATCH_SHARE;
        if (!limit.batched() || tokens < 1) {
            return Optional.empty();
        }
        return Optional.of(new DelayParameters(tokens, BATCH_TIME));
    }
}
