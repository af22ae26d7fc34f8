package app.lockin.live;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * One open event stream: whose it is, until when their token lets them
 * listen, and (for a board stream) which group it shows. Writing to it never
 * blocks on a client for long and never throws: a stream whose client is
 * gone is closed and reported through {@link #onClose}.
 */
final class Subscriber {

    final SseEventSink sink;
    final UUID userId;
    final Instant validUntil;
    /** The group of a board stream; null for the caller's own stream. */
    final UUID groupId;
    /** The groups whose presence the caller's own stream hears (empty for a board stream). */
    final Set<UUID> presenceGroups = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable onClose = () -> { };

    Subscriber(SseEventSink sink, UUID userId, Instant validUntil, UUID groupId) {
        this.sink = sink;
        this.userId = userId;
        this.validUntil = validUntil;
        this.groupId = groupId;
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    boolean isOpen() {
        return !closed.get() && !sink.isClosed();
    }

    void send(OutboundSseEvent event) {
        if (!isOpen()) {
            close();
            return;
        }
        try {
            sink.send(event).whenComplete((done, failure) -> {
                if (failure != null) {
                    close();
                }
            });
        } catch (RuntimeException gone) {
            close();
        }
    }

    /** Sends {@code last}, then closes the stream (once). */
    void end(OutboundSseEvent last) {
        if (closed.get()) {
            return;
        }
        send(last);
        close();
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the client is gone already
            }
            onClose.run();
        }
    }
}
