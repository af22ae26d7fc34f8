package app.lockin.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.lockin.rules.Conflict;
import app.lockin.rules.Invalid;

class FocusSessionTest {

    private static final Instant T = Instant.parse("2026-11-24T09:00:00Z");

    private final FocusSession session = FocusSession.schedule(UUID.randomUUID(), null);

    @Test
    void eachChangeHappensAtItsInstant() {
        session.start(T);
        assertThat(session.status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(session.startedAt()).isEqualTo(T);
        assertThat(session.segmentStartedAt()).isEqualTo(T);

        session.pause(T.plusSeconds(60));
        assertThat(session.segmentStartedAt()).isNull();
        assertThat(session.transitionedAt()).isEqualTo(T.plusSeconds(60));

        session.resume(T.plusSeconds(90));
        assertThat(session.segmentStartedAt()).isEqualTo(T.plusSeconds(90));

        session.stop(T.plusSeconds(120));
        assertThat(session.status()).isEqualTo(SessionStatus.ENDED);
        assertThat(session.endedAt()).isEqualTo(T.plusSeconds(120));
        assertThat(session.segmentStartedAt()).isNull();
    }

    @Test
    void aChangeBeforeThePreviousOneIsInvalidOnAt() {
        session.start(T);
        assertThatThrownBy(() -> session.pause(T.minusMillis(1)))
                .isInstanceOf(Invalid.class)
                .satisfies(e -> assertThat(((Invalid) e).errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("at")));
        assertThat(session.status()).as("unchanged").isEqualTo(SessionStatus.RUNNING);
        session.pause(T);
        assertThatThrownBy(() -> session.stop(T.minusSeconds(1))).isInstanceOf(Invalid.class);
    }

    @Test
    void transitionsThatDoNotFitAre409NamingTheStatus() {
        assertThatThrownBy(() -> session.pause(T)).isInstanceOf(Conflict.class).hasMessageContaining("scheduled");
        assertThatThrownBy(() -> session.resume(T)).isInstanceOf(Conflict.class);
        session.stop(T);
        assertThat(session.status()).as("a scheduled session is cancelled").isEqualTo(SessionStatus.CANCELLED);
        assertThatThrownBy(() -> session.start(T)).isInstanceOf(Conflict.class).hasMessageContaining("cancelled");
        assertThatThrownBy(() -> session.stop(T)).isInstanceOf(Conflict.class);
    }

    @Test
    void deviceTimesAreBounded() {
        Instant now = T;
        Duration grace = Duration.ofHours(48);
        assertThat(DeviceTime.resolve(null, now, grace)).isEqualTo(now);
        assertThat(DeviceTime.resolve(now.minusSeconds(30), now, grace)).isEqualTo(now.minusSeconds(30));
        assertThat(DeviceTime.resolve(now.plusSeconds(5), now, grace)).as("a little ahead is now").isEqualTo(now);
        assertThat(DeviceTime.resolve(now.minusNanos(1_500), now, grace)).as("to the microsecond")
                .isEqualTo(now.minusNanos(2_000));
        assertThat(DeviceTime.resolve(now.minus(grace), now, grace)).isEqualTo(now.minus(grace));
        assertThatThrownBy(() -> DeviceTime.resolve(now.plusSeconds(6), now, grace)).isInstanceOf(Invalid.class)
                .hasMessageContaining("future");
        assertThatThrownBy(() -> DeviceTime.resolve(now.minus(grace).minusSeconds(1), now, grace)).isInstanceOf(Invalid.class)
                .hasMessageContaining("48 hours");
    }
}
