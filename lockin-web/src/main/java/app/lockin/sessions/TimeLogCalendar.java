package app.lockin.sessions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.github.mangstadt.vinnie.SyntaxStyle;
import com.github.mangstadt.vinnie.io.VObjectPropertyValues;
import com.github.mangstadt.vinnie.io.VObjectWriter;

/**
 * A person's time logs as an iCalendar file (RFC 5545), written one event at
 * a time as the logs are read: one VEVENT per log, UID {@code <log id>@lockin},
 * times in UTC. It writes through the line writer of biweekly (vinnie: CRLF
 * line ends, lines folded at 75 octets, text escaped) exactly what biweekly
 * writes for a whole calendar ({@code TimeLogCalendarTest} compares them),
 * without holding the calendar.
 */
final class TimeLogCalendar {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final VObjectWriter writer;
    private final String stamp;

    /** Begins the calendar; {@code now} is every event's DTSTAMP (when the file was made). */
    TimeLogCalendar(OutputStream out, Instant now) throws IOException {
        writer = new VObjectWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), SyntaxStyle.NEW);
        stamp = UTC.format(now);
        writer.writeBeginComponent("VCALENDAR");
        writer.writeVersion("2.0");
        writer.writeProperty("PRODID", "-//LockIN//Focus time//EN");
    }

    void add(TimeLogs.Entry log) throws IOException {
        writer.writeBeginComponent("VEVENT");
        writer.writeProperty("DTSTAMP", stamp);
        writer.writeProperty("UID", log.id() + "@lockin");
        writer.writeProperty("DTSTART", UTC.format(log.startedAt()));
        writer.writeProperty("DTEND", UTC.format(log.endedAt()));
        writer.writeProperty("SUMMARY", text(log.groupName() == null ? "Focus" : "Focus: " + log.groupName()));
        writer.writeProperty("DESCRIPTION", text((log.source() == TimeLog.Source.MANUAL ? "Logged by hand" : "Clocked")
                + " in session " + log.sessionId()));
        writer.writeEndComponent("VEVENT");
    }

    /** Ends the calendar and writes out what is buffered; the stream stays open. */
    void end() throws IOException {
        writer.writeEndComponent("VCALENDAR");
        writer.flush();
    }

    /** A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped. */
    private static String text(String value) {
        return VObjectPropertyValues.escape(value);
    }
}
