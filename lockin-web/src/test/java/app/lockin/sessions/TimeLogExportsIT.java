package app.lockin.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.LockinServer;
import app.lockin.testing.OwnServer;
import app.lockin.testing.Reply;
import app.lockin.testing.SlowDownload;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.TestReplica;
import app.lockin.testing.User;

/**
 * The exports of a long range (a year of a person with {@value #LOGS} logs):
 * complete and in order, written while the logs are still being read (the
 * first bytes reach the client while the server's cursor is open), and a
 * failure after the first bytes cuts the transfer short instead of ending it
 * as if it were whole.
 */
@LockinServer
class TimeLogExportsIT {

    private static final Sql SQL = TestEnvironment.sql();

    /** Enough that an export (~8 MB of CSV, ~16 MB of iCalendar) outgrows every buffer between server and client. */
    static final int LOGS = 50_000;

    /** What the statement reading an export's logs says, as pg_stat_activity shows it. */
    private static final String EXPORT_STATEMENT = "%from time_logs l%l.ended_at > $2 and l.started_at < $3%";

    /** A person with {@value #LOGS} logs of 20 s over the past year, written straight into the database. */
    private record Busy(User user, String profileId, String range, List<String> ids) {
    }

    private static Busy busy;

    private static synchronized Busy busy() throws SQLException {
        if (busy == null) {
            User user = User.random();
            String profileId = Fixtures.profileOf(user);
            Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant from = to.minus(Duration.ofDays(366));
            Instant first = from.plus(Duration.ofHours(1));
            // a paused session of their own begun a year ago (the API takes device times of the last 48 hours only)
            Object participant = SQL.value("""
                    with s as (insert into sessions (creator_id, status, started_at, transitioned_at)
                               values (?::uuid, 'paused', ?, ?) returning id)
                    insert into session_participants (session_id, user_id, role, joined_at)
                    select s.id, ?::uuid, 'host', ? from s
                    returning id
                    """, profileId, Sql.ts(first), Sql.ts(first), profileId, Sql.ts(first));
            long step = Duration.between(first, to).minusHours(1).toSeconds() / LOGS;
            SQL.update("""
                    insert into time_logs (participant_id, started_at, ended_at, source)
                    select ?, ?::timestamptz + i * make_interval(secs => ?), ?::timestamptz + i * make_interval(secs => ?) + interval '20 s', 'manual'
                      from generate_series(0, ? - 1) i
                    """, participant, Sql.ts(first), step, Sql.ts(first), step, LOGS);
            List<String> ids = SQL.rows("select id::text from time_logs where user_id = ?::uuid and ended_at is not null "
                    + "and ended_at > ? and started_at < ? order by started_at, id", profileId, Sql.ts(from), Sql.ts(to))
                    .stream().map(row -> (String) row.get("id")).toList();
            assertThat(ids).hasSizeGreaterThanOrEqualTo(LOGS);
            busy = new Busy(user, profileId, "?from=" + from + "&to=" + to, ids);
        }
        return busy;
    }

    @Test
    void aYearOfManyLogsAsCsvIsCompleteAndInOrder() throws Exception {
        Busy busy = busy();
        Reply csv = busy.user().api().get("/api/me/time-logs.csv" + busy.range(), "text/csv");
        assertThat(csv.status()).as(csv.toString().substring(0, 200)).isEqualTo(200);
        assertThat(csv.header("Content-Disposition")).hasValue("attachment; filename=\"lockin-time-logs.csv\"");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("id,session_id,group_id,group_name,started_at,ended_at,duration_seconds,source");
        List<String> rows = lines.subList(1, lines.size());
        assertThat(rows.stream().map(row -> row.substring(0, row.indexOf(','))).toList())
                .as("every log of the range, oldest first").containsExactlyElementsOf(busy.ids());
        assertThat(rows).filteredOn(row -> row.endsWith(",manual")).hasSize(LOGS)
                .allSatisfy(row -> assertThat(row).endsWith(",20,manual"));
    }

    @Test
    void aYearOfManyLogsAsICalendarIsComplete() throws Exception {
        Busy busy = busy();
        Reply ics = busy.user().api().get("/api/me/time-logs.ics" + busy.range(), "text/calendar");
        assertThat(ics.status()).isEqualTo(200);
        String body = ics.body();
        assertThat(body).startsWith("BEGIN:VCALENDAR\r\n").endsWith("END:VCALENDAR\r\n");
        Matcher uids = Pattern.compile("\r\nUID:([0-9a-f-]{36})@lockin\r\n").matcher(body);
        List<String> seen = uids.results().map(m -> m.group(1)).toList();
        assertThat(seen).containsExactlyElementsOf(busy.ids());
        assertThat(body.split("BEGIN:VEVENT", -1)).hasSize(busy.ids().size() + 1);
    }

    @Test
    void theWholeExportHoldsEveryLog() throws Exception {
        Busy busy = busy();
        Reply export = busy.user().api().get("/api/me/export");
        assertThat(export.status()).isEqualTo(200);
        List<JsonObject> logs = export.json().getJsonArray("time_logs").getValuesAs(JsonObject.class);
        assertThat(logs).hasSize((int) SQL.count("select count(*) from time_logs where user_id = ?::uuid", busy.profileId()));
        List<String> starts = logs.stream().map(l -> l.getString("started_at")).toList();
        assertThat(starts).as("oldest first").isSortedAccordingTo((a, b) -> Instant.parse(a).compareTo(Instant.parse(b)));
    }

    /** Where an export may read: the primary (the server's pool) and the suite's replica (its read pool, the usual one). */
    private static final Map<Sql, String> READERS = Map.of(SQL, "lockin", new Sql(TestReplica::jdbcUrl), "lockin-read");

    /** A server backend reading an export's logs, its transaction open: on which database, its pid and state. */
    private record BeingRead(Sql database, Object pid, Object state) {
    }

    private static List<BeingRead> exportsBeingRead() throws SQLException {
        List<BeingRead> found = new ArrayList<>();
        for (Map.Entry<Sql, String> reader : READERS.entrySet()) {
            for (Map<String, Object> row : reader.getKey().rows("select pid, state from pg_stat_activity "
                    + "where application_name = ? and xact_start is not null and query like ?", reader.getValue(), EXPORT_STATEMENT)) {
                found.add(new BeingRead(reader.getKey(), row.get("pid"), row.get("state")));
            }
        }
        return found;
    }

    /**
     * The first bytes reach the client while the server still reads the logs
     * (its cursor's transaction is open, waiting for the client to take more),
     * and the rest follows as the client reads it.
     */
    @Test
    void theFirstBytesLeaveWhileTheLogsAreStillRead() throws Exception {
        Busy busy = busy();
        try (SlowDownload download = SlowDownload.get("/api/me/time-logs.ics" + busy.range(),
                busy.user().accessToken(), "text/calendar")) {
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.head().toLowerCase()).contains("transfer-encoding: chunked");
            assertThat(download.read(1024)).startsWith("BEGIN:VCALENDAR\r\n");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(exportsBeingRead())
                    .as("the export's statement, its transaction open, while the client holds back")
                    .singleElement().satisfies(read -> assertThat(read.state()).isEqualTo("idle in transaction")));
            String body = download.rest();
            assertThat(body).endsWith("END:VCALENDAR\r\n");
            assertThat(body.split("BEGIN:VEVENT", -1)).hasSize(busy.ids().size() + 1);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(exportsBeingRead()).as("ended with the file").isEmpty());
    }

    /**
     * A failure after the first bytes (the database connection lost) is a
     * transfer cut short, never a whole-looking file. On a server of the
     * test's own: the connection it kills stays in that server's pool until
     * the pool finds it dead, and the suite's other tests would meet it.
     */
    @Test
    void aFailureAfterTheFirstBytesCutsTheTransferShort() throws Exception {
        Busy busy = busy();
        try (OwnServer server = OwnServer.start("export-failure", Map.of());
             SlowDownload download = SlowDownload.get(server.baseUrl(), "/api/me/time-logs.csv" + busy.range(),
                     busy.user().accessToken(), "text/csv")) {
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.read(1024)).startsWith("id,session_id,");
            BeingRead read = await().atMost(Duration.ofSeconds(20)).until(() -> exportsBeingRead().stream()
                    .findFirst().orElse(null), Objects::nonNull);
            assertThat(read.database().value("select pg_terminate_backend(?)", read.pid())).isEqualTo(true);
            assertThatThrownBy(download::rest).as("a broken transfer").isInstanceOf(IOException.class);

            // the instance serves on (the pool drops the lost connection)
            Api api = busy.user().api().at(server.baseUrl());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.get("/api/me").status()).isEqualTo(200));
            assertThat(api.get("/api/me/time-logs.csv" + busy.range(), "text/csv").status()).isEqualTo(200);
        }
    }
}
