package app.lockin.live;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * One open event stream: whose it is, until when their token lets them
 * listen, and (for a board stream) which group it shows.
 * <p>
 * Events wait in the stream's own small queue and are written by the shared
 * writer threads, so whoever sends (the board fan-out, the pings) never waits
 * on a client: a phone that stops reading (in a tunnel, its connection not
 * closed) holds at most one writer thread until the connector's write
 * timeout, and its queue does not grow: a newer board replaces a board not
 * written yet, and a stream with {@value #MOST_WAITING} events waiting is
 * closed (its client reconnects and gets the current board). A stream whose
 * client is gone is closed and reported through {@link #onClose}.
 */
final class Subscriber {

    static final int MOST_WAITING = 32;
    private static final String BOARD = "leaderboard";

    final UUID userId;
    final Instant validUntil;
    /** The group of a board stream; null for the caller's own stream. */
    final UUID groupId;
    /** The groups whose presence the caller's own stream hears (empty for a board stream). */
    final Set<UUID> presenceGroups = ConcurrentHashMap.newKeySet();

    private final SseEventSink sink;
    private final Executor writer;
    private final Deque<OutboundSseEvent> waiting = new ArrayDeque<>();
    private boolean writing;
    private boolean ending;
    private boolean closed;
    private volatile Runnable onClose = () -> { };

    Subscriber(SseEventSink sink, Executor writer, UUID userId, Instant validUntil, UUID groupId) {
        this.sink = sink;
        this.writer = writer;
        this.userId = userId;
        this.validUntil = validUntil;
        this.groupId = groupId;
    }

    /** Runs {@code action} (after those given before) when the stream closes. */
    void onClose(Runnable action) {
        Runnable before = onClose;
        this.onClose = () -> {
            before.run();
            action.run();
        };
    }

    /** Queues the event for this stream (a board replaces a board still waiting). */
    void send(OutboundSseEvent event) {
        boolean overflow;
        synchronized (this) {
            if (closed || ending) {
                return;
            }
            if (BOARD.equals(event.getName())) {
                waiting.removeIf(e -> BOARD.equals(e.getName()));
            }
            overflow = waiting.size() >= MOST_WAITING;
            if (!overflow) {
                waiting.add(event);
                startWriting();
            }
        }
        if (overflow) {
            close();
        }
    }

    /** A comment to find out whether the client is still there; skipped while events wait anyway. */
    void ping(OutboundSseEvent comment) {
        synchronized (this) {
            if (closed || ending || !waiting.isEmpty()) {
                return;
            }
            waiting.add(comment);
            startWriting();
        }
    }

    /** Sends {@code last} after what waits, then closes the stream. */
    void end(OutboundSseEvent last) {
        synchronized (this) {
            if (closed || ending) {
                return;
            }
            waiting.add(last);
            ending = true;
            startWriting();
        }
    }

    private void startWriting() {
        if (!writing) {
            writing = true;
            try {
                writer.execute(this::write);
            } catch (RuntimeException shuttingDown) {
                writing = false;
            }
        }
    }

    /** Writes what waits, in order, on a writer thread (one at a time per stream). */
    private void write() {
        while (true) {
            OutboundSseEvent next;
            boolean last;
            synchronized (this) {
                next = waiting.poll();
                if (next == null || closed) {
                    writing = false;
                    return;
                }
                last = ending && waiting.isEmpty();
            }
            boolean written;
            try {
                written = !sink.isClosed() && !sink.send(next).toCompletableFuture().isCompletedExceptionally();
            } catch (RuntimeException gone) {
                written = false;
            }
            if (!written || last) {
                close();
                synchronized (this) {
                    writing = false;
                }
                return;
            }
        }
    }

    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            waiting.clear();
        }
        try {
            sink.close();
        } catch (RuntimeException ignored) {
            // the client is gone already
        }
        onClose.run();
    }
}
