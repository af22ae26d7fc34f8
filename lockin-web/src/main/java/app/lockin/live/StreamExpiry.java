package app.lockin.live;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;

import app.lockin.live.StreamEvents.EndReason;

/**
 * Ends each stream when the token it was opened with expires ({@code event:
 * end}, reason {@code token_expired}): a stream is authorised once, when it
 * opens, so without this it would outlive its token. Its client opens a new
 * one with a fresh token. Looked at every second.
 */
@ApplicationScoped
public class StreamExpiry {

    @Inject
    LiveExecutor executor;

    @Inject
    StreamEvents events;

    @Inject
    BoardStreams boards;

    @Inject
    MeStreams mine;

    void start() {
        executor.every(this::endExpired, 1, TimeUnit.SECONDS);
    }

    private void endExpired() {
        Instant now = Instant.now();
        OutboundSseEvent expired = null;
        for (Subscriber s : Stream.concat(boards.subscribers(), mine.subscribers()).toList()) {
            if (s.validUntil.isBefore(now)) {
                if (expired == null) {
                    expired = events.end(EndReason.TOKEN_EXPIRED);
                }
                s.end(expired);
            }
        }
    }
}
