package app.lockin.live;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When a map of this instance's recent things is due for a sweep of what has
 * aged out: only past a size, and at most once in an interval, by one thread.
 */
final class Sweeps {

    private final int above;
    private final long everyNanos;
    private final AtomicLong last = new AtomicLong(System.nanoTime());

    Sweeps(int above, long everyNanos) {
        this.above = above;
        this.everyNanos = everyNanos;
    }

    /** Whether the caller should sweep now (a map of {@code size} entries, at {@code now} nanoTime). */
    boolean due(int size, long now) {
        long before = last.get();
        return size > above && now - before > everyNanos && last.compareAndSet(before, now);
    }
}
