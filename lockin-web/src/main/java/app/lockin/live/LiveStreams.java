package app.lockin.live;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.SseEventSink;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.limits.FairUse;
import app.lockin.limits.Limit;
import app.lockin.rules.Unavailable;
import app.lockin.security.CallerToken;

/**
 * Where the resources open event streams: a board stream of a group, or the
 * caller's own. An instance holds at most {@code LOCKIN_MAX_STREAMS} open at
 * once: each costs about 45 KB of live heap in the server (Payara keeps the
 * whole request of a stream alive; BENCHMARKS.md, live), so past what the heap
 * holds the instance would run out of memory. Beyond it a new stream is
 * answered 503 before it opens, and nginx passes the request to another
 * instance. Unset, the limit follows the heap ({@link #fittingInHeap}): 1,536
 * with the production {@code -Xmx256m}, ~10,000 with {@code -Xmx800m}.
 */
@ApplicationScoped
public class LiveStreams {

    /** Heap the server needs without any stream (live data after a collection ~100 MiB, plus room to work). */
    static final long HEAP_WITHOUT_STREAMS = 160L << 20;

    /** Heap one open stream takes with room for the collector: ~45 KB live, measured. */
    static final long HEAP_PER_STREAM = 64L << 10;

    private final int maxStreams;

    private final AtomicInteger open = new AtomicInteger();

    @Inject
    BoardStreams boards;

    @Inject
    MeStreams mine;

    @Inject
    LiveExecutor executor;

    @Inject
    FairUse fairUse;

    @Inject
    LiveStreams(@ConfigProperty(name = "LOCKIN_MAX_STREAMS") Optional<Integer> maxStreams) {
        this.maxStreams = maxStreams.orElseGet(() -> fittingInHeap(Runtime.getRuntime().maxMemory()));
    }

    /** For CDI's proxy only. */
    protected LiveStreams() {
        this.maxStreams = 0;
    }

    /** The streams a heap of {@code maxHeap} bytes holds with room to work (at least 100). */
    static int fittingInHeap(long maxHeap) {
        return (int) Math.max(100, Math.min(Integer.MAX_VALUE, (maxHeap - HEAP_WITHOUT_STREAMS) / HEAP_PER_STREAM));
    }

    /** The most streams this instance holds open. */
    public int limit() {
        return maxStreams;
    }

    /** {@code GET /api/groups/{id}/progress/stream}: 404 (before anything is sent) unless the caller is a member. */
    public void openBoard(CallerToken caller, UUID groupId, SseEventSink sink) {
        open(new Subscriber(sink, executor.writer(), caller.profileId(), caller.validUntil(), groupId), boards::open);
    }

    /** {@code GET /api/me/stream}. */
    public void openMine(CallerToken caller, SseEventSink sink) {
        open(new Subscriber(sink, executor.writer(), caller.profileId(), caller.validUntil(), null), mine::open);
    }

    /**
     * Opens the stream if the caller has a place left under their limit of
     * open streams (429 before anything is sent, else; every instance counts
     * against the same places) and this instance holds fewer than it may
     * (503). The place is given back when the stream closes, or at once when
     * it does not open.
     */
    private void open(Subscriber subscriber, Consumer<Subscriber> registry) {
        fairUse.take(subscriber.userId, Limit.STREAMS, 1);
        try {
            counted(subscriber);
        } catch (RuntimeException refused) {
            fairUse.giveBack(subscriber.userId, Limit.STREAMS, 1);
            throw refused;
        }
        try {
            registry.accept(subscriber);
        } catch (RuntimeException refused) {
            // answered as a problem before the stream opened: not counted (and the sink left to JAX-RS)
            open.decrementAndGet();
            fairUse.giveBack(subscriber.userId, Limit.STREAMS, 1);
            throw refused;
        }
        subscriber.onClose(() -> fairUse.giveBack(subscriber.userId, Limit.STREAMS, 1));
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
