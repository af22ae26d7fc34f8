package app.lockin.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class MaintenanceScheduleTest {

    @Test
    void schedulesReadAsIsoOrShortDurations() {
        assertThat(MaintenanceSchedule.duration("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(MaintenanceSchedule.duration("pt30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(MaintenanceSchedule.duration(" 2s ")).isEqualTo(Duration.ofSeconds(2));
        assertThat(MaintenanceSchedule.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(MaintenanceSchedule.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(MaintenanceSchedule.duration("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(MaintenanceSchedule.duration("300")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void offTurnsTheClaimedJobsOff() {
        assertThat(MaintenanceSchedule.interval(" OFF ")).isEmpty();
        assertThat(MaintenanceSchedule.interval("2s")).contains(Duration.ofSeconds(2));
    }

    @Test
    void aJobMayBeClaimedHalfATickBeforeItsInterval() {
        MaintenanceSchedule schedule = new MaintenanceSchedule();
        schedule.setting = "10s";
        schedule.read();
        assertThat(schedule.claimAfter()).contains(Duration.ofMillis(7_500));
        schedule.setting = "off";
        schedule.read();
        assertThat(schedule.claimAfter()).isEmpty();
    }

    @Test
    void nonsenseAndTooShortAreRefusedWithTheVariableName() {
        assertThatThrownBy(() -> MaintenanceSchedule.duration("often")).hasMessageContaining("LOCKIN_ARCHIVE_SCHEDULE");
        assertThatThrownBy(() -> MaintenanceSchedule.duration("10ms")).hasMessageContaining("at least 1000 ms");
        assertThatThrownBy(() -> MaintenanceSchedule.duration("PT0S")).hasMessageContaining("at least 1000 ms");
    }
}
