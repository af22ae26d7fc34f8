package app.lockin.sessions;

import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.config.Durations;

/**
 * How far the timeline reaches back and how long a segment may run:
 * {@code LOCKIN_OFFLINE_GRACE} (default 48 h: device times and manual logs
 * older than that are refused, those periods are final) and
 * {@code LOCKIN_MAX_SEGMENT} (default 12 h: the runaway guard pauses a
 * segment open longer). Durations as in {@link Durations}.
 */
@ApplicationScoped
public class TimelineSettings {

    @Inject
    @ConfigProperty(name = "LOCKIN_OFFLINE_GRACE", defaultValue = "48h")
    String offlineGraceSetting;

    @Inject
    @ConfigProperty(name = "LOCKIN_MAX_SEGMENT", defaultValue = "12h")
    String maxSegmentSetting;

    private Duration offlineGrace;
    private Duration maxSegment;

    @PostConstruct
    void read() {
        offlineGrace = Durations.parse("LOCKIN_OFFLINE_GRACE", offlineGraceSetting, Duration.ofMinutes(1));
        maxSegment = Durations.parse("LOCKIN_MAX_SEGMENT", maxSegmentSetting, Duration.ofSeconds(1));
    }

    public Duration offlineGrace() {
        return offlineGrace;
    }

    public Duration maxSegment() {
        return maxSegment;
    }
}
