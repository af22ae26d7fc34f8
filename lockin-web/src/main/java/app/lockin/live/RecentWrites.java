package app.lockin.live;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who wrote on this instance lately, so that their next read of a board sees
 * their write ({@link CurrentBoards}): a caller counts as writing from the
 * moment their request that may change something ({@link WritesInFlight})
 * begins until it has ended, its transaction committed; a board read that
 * began before that end is not theirs to see. Callers whose last write ended
 * longer ago than a board may be kept are forgotten.
 */
@ApplicationScoped
public class RecentWrites {


    /** A caller's requests in flight that may write, and when the last one ended ({@link System#nanoTime}). */
    private record Writer(int inFlight, long lastEnded) {
    }

    private final ConcurrentHashMap<UUID, Writer> writers = new ConcurrentHashMap<>();
    /** Forgotten only past 1,024 callers, and then at most every 100 ms. */
    private final Sweeps sweeps = new Sweeps(1_024, 100_000_000L);

    void began(UUID caller) {
        writers.compute(caller, (id, w) -> w == null ? new Writer(1, System.nanoTime()) : new Writer(w.inFlight + 1, w.lastEnded));
    }

    void ended(UUID caller) {
        long now = System.nanoTime();
        writers.compute(caller, (id, w) -> new Writer(w == null ? 0 : Math.max(0, w.inFlight - 1), now));
        sweep(now);
    }

    /** Whether the caller is writing now, or ended a write after {@code nanoTime}. */
    boolean since(UUID caller, long nanoTime) {
        Writer w = writers.get(caller);
        return w != null && (w.inFlight > 0 || w.lastEnded - nanoTime >= 0);
    }

    private void sweep(long now) {
        if (sweeps.due(writers.size(), now)) {
            writers.entrySet().removeIf(e -> e.getValue().inFlight == 0 && now - e.getValue().lastEnded > CurrentBoards.MAX_AGE_NANOS);
        }
    }
}
