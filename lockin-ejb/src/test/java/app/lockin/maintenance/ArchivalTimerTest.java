package app.lockin.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ArchivalTimerTest {

    @Test
    void schedulesReadAsIsoOrShortDurations() {
        assertThat(ArchivalTimer.interval("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ArchivalTimer.interval("pt30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ArchivalTimer.interval(" 2s ")).isEqualTo(Duration.ofSeconds(2));
        assertThat(ArchivalTimer.interval("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ArchivalTimer.interval("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ArchivalTimer.interval("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ArchivalTimer.interval("300")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void offTurnsTheArchivalOff() {
        assertThat(ArchivalTimer.archivalInterval(" OFF ")).isEmpty();
        assertThat(ArchivalTimer.archivalInterval("2s")).contains(Duration.ofSeconds(2));
    }

    @Test
    void nonsenseAndTooShortAreRefusedWithTheVariableName() {
        assertThatThrownBy(() -> ArchivalTimer.interval("often")).hasMessageContaining("LOCKIN_ARCHIVE_SCHEDULE");
        assertThatThrownBy(() -> ArchivalTimer.interval("10ms")).hasMessageContaining("at least 1000 ms");
        assertThatThrownBy(() -> ArchivalTimer.interval("PT0S")).hasMessageContaining("at least 1000 ms");
    }
}
