package app.lockin.live;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.SseEventSink;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.rules.Unavailable;
import app.lockin.security.CallerToken;

/**
 * Where the resources open event streams: a board stream of a group, or the
 * caller's own. An instance holds at most {@code LOCKIN_MAX_STREAMS} (default
 * 1500) open at once: each costs about 45 KB of heap in the server (Payara
 * keeps the whole request of a stream alive; BENCHMARKS.md, live), so past
 * what the heap holds the instance would run out of memory. Beyond it a new
 * stream is answered 503 before it opens, and nginx passes the request to
 * another instance. Raise it with the heap (-Xmx).
 */
@ApplicationScoped
public class LiveStreams {

    @Inject
    @ConfigProperty(name = "LOCKIN_MAX_STREAMS", defaultValue = "1500")
    int maxStreams;

    private final AtomicInteger open = new AtomicInteger();

    @Inject
    BoardStreams boards;

    @Inject
    MeStreams mine;

    @Inject
    LiveExecutor executor;

    /** {@code GET /api/groups/{id}/progress/stream}: 404 (before anything is sent) unless the caller is a member. */
    public void openBoard(CallerToken caller, UUID groupId, SseEventSink sink) {
        open(new Subscriber(sink, executor.writer(), caller.profileId(), caller.validUntil(), groupId), boards::open);
    }

    /** {@code GET /api/me/stream}. */
    public void openMine(CallerToken caller, SseEventSink sink) {
        open(new Subscriber(sink, executor.writer(), caller.profileId(), caller.validUntil(), null), mine::open);
    }

    private void open(Subscriber subscriber, Consumer<Subscriber> registry) {
        counted(subscriber);
        try {
            registry.accept(subscriber);
        } catch (RuntimeException refused) {
            // answered as a problem before the stream opened: not counted (and the sink left to JAX-RS)
            open.decrementAndGet();
            throw refused;
        }
    }

    /** Counts the stream while it is open; 503 when the instance holds as many as it may. */
    private Subscriber counted(Subscriber subscriber) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw new Unavailable("This server holds as many live streams as it can; try again in a few seconds.");
        }
        subscriber.onClose(open::decrementAndGet);
        return subscriber;
    }
}
