package app.lockin.live;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;

/**
 * A {@code : ping} comment to every idle stream every {@code
 * LOCKIN_STREAM_PING} ({@link StreamEvents#pingInterval()}): writing is the
 * only way to notice a client that went away without closing (its stream is
 * closed and its place freed), and a quiet connection is kept open through
 * proxies. Looked at every second, so the interval is kept to the second; a
 * stream with events waiting is not pinged ({@link Subscriber#ping}).
 */
@ApplicationScoped
public class StreamPings {

    @Inject
    LiveExecutor executor;

    @Inject
    StreamEvents events;

    @Inject
    BoardStreams boards;

    @Inject
    MeStreams mine;

    private long lastPing = System.nanoTime();

    void start() {
        executor.every(this::pingWhenDue, 1, TimeUnit.SECONDS);
    }

    private void pingWhenDue() {
        if (System.nanoTime() - lastPing >= events.pingInterval().toNanos()) {
            lastPing = System.nanoTime();
            OutboundSseEvent ping = events.comment("ping");
            Stream.concat(boards.subscribers(), mine.subscribers()).forEach(s -> s.ping(ping));
        }
    }
}
