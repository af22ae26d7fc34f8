package app.lockin.sessions;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import app.lockin.rest.Attachments;
import app.lockin.rest.Paging;
import app.lockin.rest.SnakeCase;
import app.lockin.security.CallerToken;

/**
 * The caller's own time logs across all sessions: {@code /api/me/time-logs}
 * for a device's delta sync (an opaque cursor; a repeat with
 * {@code next_cursor} returns only logs written since, including ones that
 * commit late with earlier timestamps), and exports of a range as CSV and
 * iCalendar ({@code .csv}, {@code .ics}), written as the logs are read
 * ({@link Attachments}): memory stays flat whatever the range.
 */
@ApplicationScoped
@Path("me")
public class MyTimeLogsResource {

    static final Duration LONGEST_EXPORT = Duration.ofDays(366);
    private static final String CURSOR_VERSION = "v1";

    @Context
    SecurityContext security;

    @Inject
    TimeLogs timeLogs;

    /** A page of the delta sync: the logs, oldest written first, and where the next sync starts. */
    public record SyncPage(List<TimeLogResponse> logs, String nextCursor) {
    }

    @GET
    @Path("time-logs")
    @Produces(MediaType.APPLICATION_JSON)
    public SyncPage sync(@QueryParam("since") String since, @QueryParam("limit") String limit) {
        TimeLogs.SyncPosition from = since == null ? TimeLogs.SyncPosition.START : position(since);
        List<TimeLogs.Entry> logs = timeLogs.writtenSince(CallerToken.profileOf(security), from, Paging.limit(limit, 100, 1000));
        TimeLogs.SyncPosition next = logs.isEmpty() ? from : logs.get(logs.size() - 1).position();
        return new SyncPage(logs.stream().map(TimeLogResponse::of).toList(), cursor(next));
    }

    /** The CSV export's columns. */
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder()
            .setHeader("id", "session_id", "group_id", "group_name", "started_at", "ended_at", "duration_seconds", "source")
            .get();

    /** A range's logs as CSV, written as they are read. */
    @GET
    @Path("time-logs.csv")
    @Produces("text/csv")
    public Response csv(@QueryParam("from") String from, @QueryParam("to") String to, @Context HttpServletRequest request) {
        Range range = range(from, to);
        UUID caller = CallerToken.profileOf(security);
        return Attachments.streamed(request, "text/csv; charset=utf-8; header=present", "lockin-time-logs.csv", out -> {
            CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), CSV);
            timeLogs.between(caller, range.from(), range.to(), log -> Attachments.row(() ->
                    csv.printRecord(log.id(), log.sessionId(), log.groupId() == null ? "" : log.groupId(),
                            spreadsheetSafe(log.groupName()), iso(log.startedAt()), iso(log.endedAt()),
                            log.durationSeconds(), SnakeCase.of(log.source()))));
            csv.flush();
        });
    }

    /** A range's logs as iCalendar, an event per log, written as they are read. */
    @GET
    @Path("time-logs.ics")
    @Produces("text/calendar")
    public Response ics(@QueryParam("from") String from, @QueryParam("to") String to, @Context HttpServletRequest request) {
        Range range = range(from, to);
        UUID caller = CallerToken.profileOf(security);
        return Attachments.streamed(request, "text/calendar; charset=utf-8", "lockin-time-logs.ics", out -> {
            TimeLogCalendar calendar = new TimeLogCalendar(out, Instant.now());
            timeLogs.between(caller, range.from(), range.to(), log -> Attachments.row(() -> calendar.add(log)));
            calendar.end();
        });
    }

    /** [from, to) of an export. */
    private record Range(Instant from, Instant to) {
    }

    /**
     * The range asked for: both required, RFC 3339, at most 366 days apart
     * (400 otherwise), checked before anything is written.
     */
    private static Range range(String fromParameter, String toParameter) {
        Instant from = Paging.instant("from", fromParameter);
        Instant to = Paging.instant("to", toParameter);
        if (!to.isAfter(from)) {
            throw new BadRequestException("to must be after from");
        }
        if (Duration.between(from, to).compareTo(LONGEST_EXPORT) > 0) {
            throw new BadRequestException("from and to may be at most 366 days apart");
        }
        return new Range(from, to);
    }

    private static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * A text a spreadsheet would run as a formula (leading {@code = + - @},
     * tab or carriage return) gets a leading apostrophe, as OWASP advises for
     * CSV files opened in spreadsheets.
     */
    static String spreadsheetSafe(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        return "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    static String cursor(TimeLogs.SyncPosition position) {
        String plain = CURSOR_VERSION + " " + position.writtenXid() + " " + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static TimeLogs.SyncPosition position(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(" ");
            if (parts.length == 3 && parts[0].equals(CURSOR_VERSION) && parts[1].matches("[0-9]{1,20}")) {
                return new TimeLogs.SyncPosition(parts[1], UUID.fromString(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new BadRequestException("since must be a next_cursor this API gave");
    }
}
