package app.lockin.live;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import app.lockin.security.CallerToken;

/** Where the resources open event streams: a board stream of a group, or the caller's own. */
@ApplicationScoped
public class LiveStreams {

    @Inject
    StreamEvents events;

    @Inject
    BoardStreams boards;

    @Inject
    MeStreams mine;

    @Inject
    LiveExecutor executor;

    /** {@code GET /api/groups/{id}/progress/stream}: 404 (before anything is sent) unless the caller is a member. */
    public void openBoard(CallerToken caller, UUID groupId, SseEventSink sink, Sse sse) {
        events.use(sse);
        boards.open(new Subscriber(sink, executor.writer(), caller.profileId(), caller.validUntil(), groupId));
    }

    /** {@code GET /api/me/stream}. */
    public void openMine(CallerToken caller, SseEventSink sink, Sse sse) {
        events.use(sse);
        mine.open(new Subscriber(sink, executor.writer(), caller.profileId(), caller.validUntil(), null));
    }
}
