package app.lockin.live;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import app.lockin.database.Lsn;
import app.lockin.database.Replicas;

/**
 * Who wrote on this instance lately, so that their next read of a board sees
 * their write ({@link CurrentBoards}): a caller counts as writing from the
 * moment their request that may change something ({@link WritesInFlight})
 * begins until it has ended, its transaction committed; a board read that
 * began before that end is not theirs to see. With replicas it also keeps
 * where the primary's log stood after the caller's last write here
 * ({@link ReadYourWrites}), so their reads here show it even when their
 * client does not echo {@code LockIN-Read-After}. Callers whose last write
 * ended longer ago than a board may be kept (a replica may lag, with
 * replicas) are forgotten.
 */
@ApplicationScoped
public class RecentWrites {


    /**
     * A caller's requests in flight that may write, when the last one ended
     * ({@link System#nanoTime}), and the primary's log position after its
     * last commit here (null until known: only with replicas).
     */
    private record Writer(int inFlight, long lastEnded, Lsn position) {
    }

    @Inject
    Replicas replicas;

    private final ConcurrentHashMap<UUID, Writer> writers = new ConcurrentHashMap<>();
    /** Forgotten only past 1,024 callers, and then at most every 100 ms. */
    private final Sweeps sweeps = new Sweeps(1_024, 100_000_000L);

    void began(UUID caller) {
        writers.compute(caller, (id, w) -> w == null ? new Writer(1, System.nanoTime(), null)
                : new Writer(w.inFlight + 1, w.lastEnded, w.position));
    }

    void ended(UUID caller) {
        long now = System.nanoTime();
        writers.compute(caller, (id, w) -> w == null ? new Writer(0, now, null)
                : new Writer(Math.max(0, w.inFlight - 1), now, w.position));
        sweep(now);
    }

    /** The caller's write here committed by {@code position} of the primary's log. */
    void committed(UUID caller, Lsn position) {
        writers.compute(caller, (id, w) -> w == null ? new Writer(0, System.nanoTime(), position)
                : new Writer(w.inFlight, w.lastEnded, Lsn.later(w.position, position)));
    }

    /** The position after the caller's last write here, if it is still remembered (else null). */
    Lsn positionOf(UUID caller) {
        Writer w = writers.get(caller);
        return w == null ? null : w.position;
    }

    /** Whether the caller is writing now, or ended a write after {@code nanoTime}. */
    boolean since(UUID caller, long nanoTime) {
        Writer w = writers.get(caller);
        return w != null && (w.inFlight > 0 || w.lastEnded - nanoTime >= 0);
    }

    private void sweep(long now) {
        if (sweeps.due(writers.size(), now)) {
            // a position is kept while a replica within the lag bound may not show it yet
            long keepPosition = Math.max(CurrentBoards.MAX_AGE_NANOS, replicas.maxLag().toNanos()) + CurrentBoards.MAX_AGE_NANOS;
            writers.entrySet().removeIf(e -> e.getValue().inFlight == 0
                    && now - e.getValue().lastEnded > (e.getValue().position == null ? CurrentBoards.MAX_AGE_NANOS : keepPosition));
        }
    }
}
