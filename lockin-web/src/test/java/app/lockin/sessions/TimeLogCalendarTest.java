package app.lockin.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;

/**
 * The iCalendar export written event by event is the file biweekly writes
 * for the whole calendar at once (what the export wrote before it streamed),
 * byte for byte, and reads back as the same events.
 */
class TimeLogCalendarTest {

    private static final Instant NOW = Instant.parse("2026-12-06T19:49:00Z");

    private static final List<String> GROUP_NAMES = List.of(
            "Deep work", "=Deep, \"work\"; back\\slash", "two\nlines\r\nand a carriage return",
            "a name long enough to be folded: " + "ab".repeat(60), "é".repeat(80), "😀".repeat(40), "a:b;c,d^e\tf");

    private static List<TimeLogs.Entry> logs() {
        List<TimeLogs.Entry> logs = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T08:00:00.250Z");
        for (int i = 0; i < GROUP_NAMES.size() + 1; i++) {
            boolean alone = i == GROUP_NAMES.size();
            logs.add(new TimeLogs.Entry(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                    alone ? null : UUID.randomUUID(), alone ? null : GROUP_NAMES.get(i),
                    start.plusSeconds(3600L * i), start.plusSeconds(3600L * i + 1500),
                    i % 2 == 0 ? TimeLog.Source.CLOCK : TimeLog.Source.MANUAL, null, null, null, TimeLogs.SyncPosition.START));
        }
        return logs;
    }

    private static String streamed(List<TimeLogs.Entry> logs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TimeLogCalendar calendar = new TimeLogCalendar(out, NOW);
        for (TimeLogs.Entry log : logs) {
            calendar.add(log);
        }
        calendar.end();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The calendar as the export built it before it streamed, with biweekly. */
    private static String whole(List<TimeLogs.Entry> logs) {
        ICalendar calendar = new ICalendar();
        calendar.setProductId("-//LockIN//Focus time//EN");
        for (TimeLogs.Entry log : logs) {
            VEvent event = new VEvent();
            event.setDateTimeStamp(Date.from(NOW));
            event.setUid(log.id() + "@lockin");
            event.setDateStart(Date.from(log.startedAt()), true);
            event.setDateEnd(Date.from(log.endedAt()), true);
            event.setSummary(log.groupName() == null ? "Focus" : "Focus: " + log.groupName());
            event.setDescription((log.source() == TimeLog.Source.MANUAL ? "Logged by hand" : "Clocked")
                    + " in session " + log.sessionId());
            calendar.addEvent(event);
        }
        return Biweekly.write(calendar).go();
    }

    @Test
    void isWhatBiweeklyWritesForTheWholeCalendar() throws IOException {
        List<TimeLogs.Entry> logs = logs();
        assertThat(streamed(logs)).isEqualTo(whole(logs));
    }

    @Test
    void readsBackAsTheSameEvents() throws IOException {
        List<TimeLogs.Entry> logs = logs();
        ICalendar read = Biweekly.parse(streamed(logs)).first();
        assertThat(read.getEvents()).hasSize(logs.size());
        for (int i = 0; i < logs.size(); i++) {
            VEvent event = read.getEvents().get(i);
            TimeLogs.Entry log = logs.get(i);
            assertThat(event.getUid().getValue()).isEqualTo(log.id() + "@lockin");
            assertThat(event.getSummary().getValue())
                    .isEqualTo(log.groupName() == null ? "Focus" : "Focus: " + log.groupName().replace("\r\n", "\n"));
            assertThat(event.getDateStart().getValue().toInstant()).isEqualTo(log.startedAt().truncatedTo(ChronoUnit.SECONDS));
            assertThat(event.getDateEnd().getValue().toInstant()).isEqualTo(log.endedAt().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    @Test
    void anEmptyRangeIsACalendarWithoutEvents() throws IOException {
        assertThat(streamed(List.of())).isEqualTo(whole(List.of()))
                .isEqualTo("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//LockIN//Focus time//EN\r\nEND:VCALENDAR\r\n");
    }
}
