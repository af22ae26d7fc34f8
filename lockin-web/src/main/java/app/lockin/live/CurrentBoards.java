package app.lockin.live;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import app.lockin.database.Lsn;
import app.lockin.database.Reads;
import app.lockin.database.Replicas;
import app.lockin.groups.Access;
import app.lockin.progress.Board;
import app.lockin.progress.Leaderboard;
import app.lockin.progress.ProgressEntry;
import app.lockin.rules.NotFound;

/**
 * The current board of every group read here lately, shared by all the
 * requests of this instance ({@code GET /api/groups/{id}/progress/current},
 * a stream's first board) and by the live streams, whose computations after
 * a change land here too. A board read is served again while
 * <ul>
 * <li>it is younger than {@link #MAX_AGE} (running sessions move on),</li>
 * <li>no change of its group was heard since it began (a {@code board}
 * message of the database: every writer is covered), and this instance
 * heard the database's messages all the while ({@link LiveListener}),</li>
 * <li>its period has not ended,</li>
 * <li>and the caller has written nothing here since it began ({@link
 * RecentWrites}): a caller's next read after their own write sees it,
 * although the database's message about it may still be on its way.</li>
 * </ul>
 * Otherwise it is read again, once for all the requests that want it at
 * the same moment. A write made through another instance reaches this one
 * with the database's message (milliseconds after its commit). With
 * replicas a board is read where the last change heard shows, and is served
 * only to callers whose last write it shows ({@code LockIN-Read-After}).
 */
@ApplicationScoped
public class CurrentBoards {

    /** How long a board read may be served again. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);
    static final long MAX_AGE_NANOS = MAX_AGE.toNanos();

    @Inject
    Leaderboard leaderboard;

    @Inject
    LiveListener listener;

    @Inject
    RecentWrites writes;

    @Inject
    Reads reads;

    @Inject
    Replicas replicas;

    private final ConcurrentHashMap<UUID, Group> groups = new ConcurrentHashMap<>();
    /** When every group last counted as changed ({@link #changedAll}). */
    private volatile long allChanged = System.nanoTime();
    /** Boards past their age are dropped past 256 groups, at most every 100 ms. */
    private final Sweeps sweeps = new Sweeps(256, 100_000_000L);

    /**
     * A board and when its reading began ({@link System#nanoTime}): it shows
     * every change committed before then; with replicas, every change
     * committed before the log position {@code shows} (the last change this
     * instance had heard of, and the reader's own last write), which is what
     * it was read after.
     */
    private record Read(Board board, long began, Lsn shows) {

        Instant periodEnd() {
            return board.entries().isEmpty() ? Instant.MIN : board.entries().get(0).periodEnd();
        }
    }

    /** One group's last board, its last change heard, and the reading in progress. */
    private static final class Group {
        volatile long changed = System.nanoTime();
        volatile Read read;
        /** Out of the map: its changes are no longer heard, so nothing it holds is served. */
        volatile boolean dropped;
        CompletableFuture<Read> reading;   // guarded by this
    }

    /** The board as the caller sees it now: 404 unless they are a member. */
    public List<ProgressEntry> current(UUID caller, UUID groupId) {
        Board board = fresh(caller, groupId);
        if (!board.lists(caller)) {   // a member always sees themself
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        return board.seenBy(caller);
    }

    /** A board the live streams read after a change, {@code began} ({@link System#nanoTime}) before reading it, {@code after} that position. */
    void offer(UUID groupId, Board board, long began, Lsn after) {
        Group group = groups.get(groupId);
        if (group != null) {
            keep(group, new Read(board, began, after));
        }
    }

    /** The group's board may have changed. */
    void changed(UUID groupId) {
        Group group = groups.get(groupId);
        if (group != null) {
            group.changed = System.nanoTime();
        }
    }

    /** Every board may have changed (the database's messages were lost for a while). */
    void changedAll() {
        allChanged = System.nanoTime();
    }

    private Board fresh(UUID caller, UUID groupId) {
        Group group = groups.computeIfAbsent(groupId, id -> new Group());
        Read read = group.read;
        if (servable(group, read, caller)) {
            return read.board();
        }
        CompletableFuture<Read> theirs;
        CompletableFuture<Read> mine = null;
        synchronized (group) {
            theirs = group.reading;
            if (theirs == null) {
                mine = new CompletableFuture<>();
                group.reading = mine;
            }
        }
        if (mine == null) {
            // another request reads it now: its board, unless it began before what this caller must see
            Read joined = theirs.exceptionally(failed -> null).join();
            return servable(group, joined, caller) ? joined.board() : read(group, groupId).board();
        }
        try {
            Read fresh = read(group, groupId);
            mine.complete(fresh);
            return fresh.board();
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (group) {
                group.reading = null;
            }
        }
    }

    private Read read(Group group, UUID groupId) {
        long began = System.nanoTime();
        Lsn after = Lsn.later(listener.heard(), reads.requestPosition());
        Read read = new Read(leaderboard.board(groupId, after), began, after);
        if (!read.board().entries().isEmpty()) {
            keep(group, read);
        }
        sweep();
        return read;
    }

    private static void keep(Group group, Read read) {
        synchronized (group) {
            Read kept = group.read;
            if (!group.dropped && (kept == null || read.began() - kept.began() > 0)) {
                group.read = read;
            }
        }
    }

    private boolean servable(Group group, Read read, UUID caller) {
        if (read == null || group.dropped || !listener.connected()) {
            return false;
        }
        if (replicas.configured()) {
            Lsn mustShow = reads.requestPosition();
            if (mustShow != null && (read.shows() == null || mustShow.isAfter(read.shows()))) {
                return false;   // read where the caller's last write may not show yet
            }
        }
        long now = System.nanoTime();
        return now - read.began() < MAX_AGE_NANOS
                && read.began() - group.changed > 0
                && read.began() - allChanged > 0
                && Instant.now().isBefore(read.periodEnd())
                && !writes.since(caller, read.began());
    }

    /** Drops the groups whose board is past its age and not being read (so memory holds the last second's boards). */
    private void sweep() {
        long now = System.nanoTime();
        if (sweeps.due(groups.size(), now)) {
            groups.entrySet().removeIf(e -> {
                Group g = e.getValue();
                synchronized (g) {
                    Read r = g.read;
                    g.dropped = g.reading == null && (r == null || now - r.began() >= MAX_AGE_NANOS);
                    return g.dropped;
                }
            });
        }
    }
}
