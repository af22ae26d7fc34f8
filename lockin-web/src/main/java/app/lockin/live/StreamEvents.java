package app.lockin.live;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.config.Durations;
import app.lockin.rest.JsonConfig;

/**
 * The events of LockIN's streams, built once and written to every
 * subscriber they are for: the JSON and the event's bytes are made once, not
 * per subscriber ({@link PreparedEvent}). Every
 * event has an id, unique on this instance and across its restarts
 * (its start time and a counter); a client reconnecting with
 * {@code Last-Event-ID} gets the current state first whatever it names.
 * {@code LOCKIN_STREAM_PING} (default 15 s) is how often an idle stream gets
 * a {@code : ping} comment, which also finds clients that are gone.
 */
@ApplicationScoped
public class StreamEvents {

    /** Why the server ends a stream ({@code event: end}, {@code {"reason": ...}}). */
    enum EndReason {
        TOKEN_EXPIRED, NOT_A_MEMBER, GROUP_ARCHIVED, SHUTTING_DOWN;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Inject
    @ConfigProperty(name = "LOCKIN_STREAM_PING", defaultValue = "15s")
    String pingSetting;

    private final String idPrefix = Long.toString(System.currentTimeMillis(), 36) + "-";
    private final AtomicLong sequence = new AtomicLong();
    private Duration ping;

    @PostConstruct
    void read() {
        ping = Durations.parse("LOCKIN_STREAM_PING", pingSetting, Duration.ofMillis(100));
    }

    Duration pingInterval() {
        return ping;
    }

    /** An event named {@code name} whose data is {@code payload} as the API's JSON, on one line. */
    OutboundSseEvent json(String name, Object payload) {
        return PreparedEvent.of(name, idPrefix + sequence.incrementAndGet(), JsonConfig.JSONB.toJson(payload));
    }

    OutboundSseEvent end(EndReason reason) {
        return json("end", Map.of("reason", reason.wire()));
    }

    OutboundSseEvent comment(String text) {
        return PreparedEvent.comment(text);
    }
}
