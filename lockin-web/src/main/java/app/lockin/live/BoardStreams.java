package app.lockin.live;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;

import app.lockin.database.Lsn;
import app.lockin.live.StreamEvents.EndReason;
import app.lockin.notifications.NotificationResponse;
import app.lockin.progress.Board;
import app.lockin.progress.Leaderboard;
import app.lockin.progress.ProgressEntry;

/**
 * The open leaderboard streams of this instance ({@code GET
 * /api/groups/{id}/progress/stream}), by group. A change of a group (a
 * {@code board} message of the database, or a new period beginning) marks
 * its board dirty; the board is then computed once, at most four times a
 * second per group (a burst of changes is coalesced into the next board),
 * and the same event is written to every subscriber of the group.
 */
@ApplicationScoped
public class BoardStreams {

    /** At most four boards a second per group. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(250);

    private static final Logger LOG = Logger.getLogger(BoardStreams.class.getName());

    @Inject
    Leaderboard leaderboard;

    @Inject
    CurrentBoards current;

    @Inject
    LiveListener listener;

    @Inject
    StreamEvents events;

    @Inject
    LiveExecutor executor;

    private final Map<UUID, GroupBoard> groups = new ConcurrentHashMap<>();

    /**
     * Checks that the caller may see the board (404 otherwise, before the
     * stream opens), subscribes them and sends the board at once.
     */
    void open(Subscriber subscriber) {
        // the group's changes are counted from before the read, so none falls between the read and the subscription
        GroupBoard group = groups.computeIfAbsent(subscriber.groupId, GroupBoard::new);
        long changesSeen = group.changes();
        List<ProgressEntry> board;
        try {
            board = current.current(subscriber.userId, subscriber.groupId);
        } catch (RuntimeException refused) {
            groups.computeIfPresent(subscriber.groupId, (id, g) -> g.subscribers.isEmpty() ? null : g);
            throw refused;
        }
        GroupBoard joined = groups.compute(subscriber.groupId, (id, existing) -> {
            GroupBoard g = existing == null ? group : existing;
            g.subscribers.add(subscriber);
            return g;
        });
        subscriber.onClose(() -> leave(subscriber));
        subscriber.send(events.json("leaderboard", board));
        joined.scheduleBoundary(board);
        if (joined != group || joined.changes() != changesSeen) {
            joined.changed();
        }
    }

    private void leave(Subscriber subscriber) {
        groups.computeIfPresent(subscriber.groupId, (id, g) -> {
            g.subscribers.remove(subscriber);
            if (g.subscribers.isEmpty()) {
                g.cancelBoundary();
                return null;
            }
            return g;
        });
    }

    /** The group's board may have changed: a new one follows within {@link #MIN_INTERVAL}. */
    void changed(UUID groupId) {
        GroupBoard group = groups.get(groupId);
        if (group != null) {
            group.changed();
        }
    }

    /** Every board again (the instance may have missed changes: its database listener reconnected). */
    void refreshAll() {
        groups.values().forEach(GroupBoard::changed);
    }

    /** The group's last board, then {@code end} to each of its streams. */
    void archived(UUID groupId) {
        GroupBoard group = groups.get(groupId);
        if (group != null) {
            executor.execute(() -> {
                group.compute();
                endAll(group.subscribers, s -> true, EndReason.GROUP_ARCHIVED);
            });
        }
    }

    void memberLeft(UUID groupId, UUID userId) {
        GroupBoard group = groups.get(groupId);
        if (group != null) {
            endAll(group.subscribers, s -> s.userId.equals(userId), EndReason.NOT_A_MEMBER);
        }
    }

    /** A milestone notification goes to its recipient's streams of its group. */
    void milestone(UUID recipientId, NotificationResponse notification) {
        GroupBoard group = groups.get(notification.groupId());
        if (group == null) {
            return;
        }
        OutboundSseEvent event = null;
        for (Subscriber s : group.subscribers) {
            if (s.userId.equals(recipientId)) {
                if (event == null) {
                    event = events.json("milestone", notification);
                }
                s.send(event);
            }
        }
    }

    /** Whether the recipient has a stream of the group here (so the notification is worth reading). */
    boolean listens(UUID recipientId, UUID groupId) {
        GroupBoard group = groupId == null ? null : groups.get(groupId);
        return group != null && group.subscribers.stream().anyMatch(s -> s.userId.equals(recipientId));
    }

    Stream<Subscriber> subscribers() {
        return groups.values().stream().flatMap(g -> g.subscribers.stream());
    }

    int count() {
        return groups.values().stream().mapToInt(g -> g.subscribers.size()).sum();
    }

    /** Ends every stream here (the instance is shutting down). */
    void endAll(EndReason reason) {
        endAll(subscribers().toList(), s -> true, reason);
    }

    private void endAll(java.util.Collection<Subscriber> among, Predicate<Subscriber> which, EndReason reason) {
        OutboundSseEvent end = null;
        for (Subscriber s : among.stream().filter(which).toList()) {
            if (end == null) {
                end = events.end(reason);
            }
            s.end(end);
        }
    }

    /** One group's subscribers here and the coalescing of its changes. */
    private final class GroupBoard {

        final UUID groupId;
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        private final Object computing = new Object();
        private long changes;
        private boolean scheduled;
        private long lastComputed = System.nanoTime() - MIN_INTERVAL.toNanos();
        private ScheduledFuture<?> boundary;
        private Instant boundaryAt;
        private int boundaryRetries;
        private boolean failing;

        GroupBoard(UUID groupId) {
            this.groupId = groupId;
        }

        synchronized long changes() {
            return changes;
        }

        /** Schedules the next board: at once after a quiet spell, else when the interval since the last one has passed. */
        synchronized void changed() {
            changes++;
            if (!scheduled) {
                scheduled = true;
                long wait = Math.max(0, lastComputed + MIN_INTERVAL.toNanos() - System.nanoTime());
                executor.schedule(this::compute, wait, TimeUnit.NANOSECONDS);
            }
        }

        /** Reads the board and writes the same event to every subscriber (one computation at a time per group). */
        void compute() {
            synchronized (computing) {
                synchronized (this) {
                    scheduled = false;
                    lastComputed = System.nanoTime();
                }
                if (subscribers.isEmpty()) {
                    return;
                }
                Board board;
                try {
                    long began = System.nanoTime();
                    Lsn after = listener.heard();   // a replica must show the change that led here
                    board = leaderboard.board(groupId, after);
                    current.offer(groupId, board, began, after);
                    failing = false;
                } catch (RuntimeException e) {
                    if (!failing) {
                        LOG.log(Level.WARNING, "The board of group " + groupId + " could not be read; trying again every second", e);
                    }
                    failing = true;
                    executor.schedule(this::changed, 1, TimeUnit.SECONDS);
                    return;
                }
                // one event per audience (viewers who do not see the same members see the same board)
                Map<Set<UUID>, OutboundSseEvent> byAudience = new HashMap<>();
                for (Subscriber s : subscribers) {
                    s.send(byAudience.computeIfAbsent(board.audienceOf(s.userId),
                            audience -> events.json("leaderboard", board.seenBy(s.userId))));
                }
                scheduleBoundary(board.entries());
            }
        }

        /**
         * A new period starts a fresh board at its first instant. When the
         * database still shows the same period then (this server's clock
         * ahead of the database's, or a group whose end has passed and
         * awaits the archival), it looks again a few times, a second apart.
         */
        synchronized void scheduleBoundary(List<ProgressEntry> board) {
            if (board.isEmpty()) {
                return;
            }
            Instant end = board.get(0).periodEnd();
            boolean same = end.equals(boundaryAt);
            if (same && boundary != null && !boundary.isDone()) {
                return;
            }
            boundaryRetries = same ? boundaryRetries + 1 : 0;
            if (boundaryRetries > 3) {
                return;
            }
            cancelBoundary();
            boundaryAt = end;
            long delay = Math.max(0, Duration.between(Instant.now(), end).toMillis()) + (same ? 1000 : 20);
            boundary = executor.schedule(this::changed, delay, TimeUnit.MILLISECONDS);
        }

        synchronized void cancelBoundary() {
            if (boundary != null) {
                boundary.cancel(false);
                boundary = null;
            }
        }
    }
}
