package app.lockin.sessions;

import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * Several devices and offline clients (API.md "Retries, several devices,
 * offline clients"): the sessions list a second device reads, the delta sync
 * of one's time logs, and the exports of a range.
 */
@LockinServer
class SyncIT {

    private static final Sql SQL = TestEnvironment.sql();

    @Test
    void aSecondDeviceFindsTheRunningSession() {
        User host = User.random();
        User stranger = User.random();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Focus.session(host, null));
        }
        Focus.ok(Focus.act(host, ids.get(2), "start"));

        Reply running = host.api().get("/api/sessions?status=running");
        assertThat(running.status()).as(running.toString()).isEqualTo(200);
        assertThat(running.jsonArray().getValuesAs(JsonObject.class)).singleElement()
                .satisfies(s -> assertThat(s.getString("id")).isEqualTo(ids.get(2)));
        Focus.ok(Focus.act(host, ids.get(2), "stop"));

        // newest first, two a page, Link to the next while more remain
        List<String> seen = new ArrayList<>();
        String next = "/api/sessions?limit=2";
        while (next != null) {
            Reply page = host.api().get(next);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.jsonArray().getValuesAs(JsonObject.class).forEach(s -> seen.add(s.getString("id")));
            next = page.header("Link").map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>')))
                    .map(uri -> URI.create(uri).getRawPath() + "?" + URI.create(uri).getRawQuery()).orElse(null);
        }
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(stranger.api().get("/api/sessions").jsonArray()).isEmpty();

        assertProblem(host.api().get("/api/sessions?status=sleeping"), 400);
        assertProblem(host.api().get("/api/sessions?limit=0"), 400);
        assertProblem(host.api().get("/api/sessions?cursor_id=" + UUID.randomUUID()), 400);
        assertRefused(Api.anonymous().get("/api/sessions"));
    }

    private static List<JsonObject> syncAll(User user, String[] cursor) {
        List<JsonObject> logs = new ArrayList<>();
        while (true) {
            Reply page = user.api().get("/api/me/time-logs?limit=2" + (cursor[0] == null ? "" : "&since=" + cursor[0]));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            List<JsonObject> got = page.json().getJsonArray("logs").getValuesAs(JsonObject.class);
            cursor[0] = page.json().getString("next_cursor");
            if (got.isEmpty()) {
                return logs;
            }
            logs.addAll(got);
        }
    }

    /** Delta sync never skips a log that commits late with earlier timestamps. */
    @Test
    void deltaSyncNeverSkipsALogCommittedLate() throws Exception {
        User user = User.random();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(user, null, t0.minus(Duration.ofHours(3)));
        String[] cursor = {null};
        List<JsonObject> before = syncAll(user, cursor);

        Object participant = SQL.value("select id from session_participants where session_id = ?::uuid", session);
        try (var late = SQL.connect()) {
            late.setAutoCommit(false);
            Sql.prepare(late, "insert into time_logs (participant_id, started_at, ended_at, source) values (?, ?, ?, 'manual')",
                    participant, Sql.ts(t0.minus(Duration.ofHours(2))), Sql.ts(t0.minus(Duration.ofMinutes(110))))
                    .executeUpdate();
            JsonObject onTime = Focus.log(user, session, t0.minus(Duration.ofHours(1)), t0.minus(Duration.ofMinutes(50)));

            assertThat(syncAll(user, cursor)).as("withheld while an older transaction is open").isEmpty();
            late.commit();

            List<JsonObject> synced = syncAll(user, cursor);
            assertThat(synced).extracting(l -> l.getString("started_at"))
                    .containsExactly(t0.minus(Duration.ofHours(2)).toString(), onTime.getString("started_at"));
        }
        assertThat(syncAll(user, cursor)).as("nothing twice").isEmpty();
        // at most the runaway guard's log of the start, which the device dated (Focus.pausedSince)
        assertThat(before).allSatisfy(l -> assertThat(l.getString("source")).isEqualTo("device"));
        assertProblem(user.api().get("/api/me/time-logs?since=not-a-cursor"), 400);
        assertProblem(user.api().get("/api/me/time-logs?limit=1001"), 400);
        assertRefused(Api.anonymous().get("/api/me/time-logs"));
    }

    @Test
    void exportsAsCsvAndICalendar() {
        User user = User.random();
        Reply created = user.api().post("/api/groups", "{\"name\": \"=Deep, \\\"work\\\"\", \"end_at\": \""
                + Instant.now().plus(Duration.ofDays(3)) + "\", \"start_at\": \"" + Instant.now().minus(Duration.ofDays(1))
                + "\", \"period_target_minutes\": 60}");
        String group = created.json().getString("id");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(user, group, t0.minus(Duration.ofHours(3)));
        JsonObject log = Focus.log(user, session, t0.minus(Duration.ofHours(2)), t0.minus(Duration.ofHours(1)));
        String range = "?from=" + t0.minus(Duration.ofHours(2).plusMinutes(30)) + "&to=" + t0;

        Reply csv = user.api().get("/api/me/time-logs.csv" + range, "text/csv");
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).first()
                .isEqualTo("id,session_id,group_id,group_name,started_at,ended_at,duration_seconds,source");
        assertThat(csv.body()).contains(log.getString("id") + "," + session + "," + group + ",\"'=Deep, \"\"work\"\"\","
                + t0.minus(Duration.ofHours(2)) + "," + t0.minus(Duration.ofHours(1)) + ",3600,manual");

        Reply ics = user.api().get("/api/me/time-logs.ics" + range, "text/calendar");
        assertThat(ics.status()).as(ics.toString()).isEqualTo(200);
        assertThat(ics.contentType()).startsWith("text/calendar");
        assertThat(ics.body()).startsWith("BEGIN:VCALENDAR").contains("BEGIN:VEVENT", "UID:" + log.getString("id") + "@lockin",
                "SUMMARY:Focus: =Deep\\, \"work\"");

        assertProblem(user.api().get("/api/me/time-logs.csv?from=" + t0, "text/csv"), 400);
        assertProblem(user.api().get("/api/me/time-logs.csv?from=" + t0 + "&to=" + t0.minus(Duration.ofHours(1)), "text/csv"), 400);
        assertProblem(user.api().get("/api/me/time-logs.ics?from=" + t0.minus(Duration.ofDays(367)) + "&to=" + t0, "text/calendar"), 400);
        assertProblem(user.api().get("/api/me/time-logs.ics?from=yesterday&to=" + t0, "text/calendar"), 400);
        assertRefused(Api.anonymous().get("/api/me/time-logs.csv" + range));
    }
}
