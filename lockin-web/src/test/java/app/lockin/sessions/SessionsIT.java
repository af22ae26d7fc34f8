package app.lockin.sessions;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/** /api/sessions: the state machine, who may drive it, time logs and their rules. */
@LockinServer
class SessionsIT {

    private static final Sql SQL = TestEnvironment.sql();

    private static String logBody(Instant from, Instant to) {
        return "{\"started_at\": \"" + from + "\", \"ended_at\": \"" + to + "\"}";
    }

    @Test
    void aSessionGoesThroughItsStates() throws Exception {
        User host = User.random();
        String group = Fixtures.group(host).getString("id");

        Reply created = host.api().post("/api/sessions", "{\"group_id\": \"" + group + "\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonObject session = created.json();
        String id = session.getString("id");
        assertThat(created.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/sessions/" + id));
        assertThat(session.keySet()).containsExactlyInAnyOrder("id", "group_id", "creator_id", "status", "started_at",
                "ended_at", "created_at", "focused_seconds", "participant_count");
        assertThat(session.getString("status")).isEqualTo("scheduled");
        assertThat(session.getString("creator_id")).isEqualTo(Fixtures.profileOf(host));
        assertThat(session.isNull("started_at")).isTrue();

        JsonObject started = Focus.ok(Focus.act(host, id, "start"));
        assertThat(started.getString("status")).isEqualTo("running");
        assertThat(started.isNull("started_at")).isFalse();
        assertThat(Focus.ok(Focus.act(host, id, "pause")).getString("status")).isEqualTo("paused");
        assertThat(Focus.ok(Focus.act(host, id, "resume")).getString("status")).isEqualTo("running");
        JsonObject stopped = Focus.ok(Focus.act(host, id, "stop"));
        assertThat(stopped.getString("status")).isEqualTo("ended");
        assertThat(Instant.parse(stopped.getString("ended_at"))).isAfterOrEqualTo(Instant.parse(stopped.getString("started_at")));

        List<JsonObject> participants = host.api().get("/api/sessions/" + id + "/participants").jsonArray().getValuesAs(JsonObject.class);
        assertThat(participants).singleElement().satisfies(p -> {
            assertThat(p.getString("role")).isEqualTo("host");
            assertThat(p.getString("user_id")).isEqualTo(Fixtures.profileOf(host));
            assertThat(p.keySet()).containsExactlyInAnyOrder("user_id", "display_name", "role", "joined_at", "left_at", "focused_seconds");
        });
    }

    @Test
    void everyOtherTransitionIs409NamingTheStatus() {
        User host = User.random();
        String id = Focus.session(host, null);
        for (String action : List.of("pause", "resume")) {
            Reply refused = Focus.act(host, id, action);
            assertProblem(refused, 409);
            assertThat(refused.json().getString("detail")).contains("scheduled");
        }
        Focus.ok(Focus.act(host, id, "start"));
        assertThat(Focus.act(host, id, "start").json().getString("detail")).contains("running");
        assertProblem(Focus.act(host, id, "resume"), 409);
        Focus.ok(Focus.act(host, id, "pause"));
        assertProblem(Focus.act(host, id, "pause"), 409);
        assertProblem(Focus.act(host, id, "start"), 409);
        Focus.ok(Focus.act(host, id, "stop"));
        for (String action : List.of("start", "pause", "resume", "stop")) {
            Reply refused = Focus.act(host, id, action);
            assertProblem(refused, 409);
            assertThat(refused.json().getString("detail")).contains("ended");
        }
    }

    @Test
    void stoppingAScheduledSessionCancelsIt() {
        User host = User.random();
        String id = Focus.session(host, null);
        JsonObject cancelled = Focus.ok(Focus.act(host, id, "stop"));
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        assertThat(Focus.act(host, id, "start").json().getString("detail")).contains("cancelled");
    }

    @Test
    void onlyTheHostDrivesAndOnlyThoseInvolvedSee() {
        User host = User.random();
        User member = User.random();
        User stranger = User.random();
        String group = Fixtures.group(host).getString("id");
        Fixtures.member(host, group, member, "member");
        String id = Focus.session(host, group);

        assertProblem(Focus.act(member, id, "start"), 403);
        assertThat(member.api().get("/api/sessions/" + id).status()).as("group members see it").isEqualTo(200);
        assertThat(member.api().get("/api/sessions/" + id + "/participants").status()).isEqualTo(200);
        assertProblem(Focus.act(stranger, id, "start"), 404);
        assertProblem(stranger.api().get("/api/sessions/" + id), 404);
        assertProblem(stranger.api().get("/api/sessions/" + id + "/participants"), 404);
        assertProblem(stranger.api().get("/api/sessions/" + UUID.randomUUID()), 404);
        assertRefused(Api.anonymous().post("/api/sessions/" + id + ":start", null));

        String solo = Focus.session(host, null);
        assertProblem(member.api().get("/api/sessions/" + solo), 404);
    }

    @Test
    void creatingNeedsAnActiveGroupOfOnesOwn() {
        User host = User.random();
        User stranger = User.random();
        String group = Fixtures.group(host).getString("id");

        assertProblem(stranger.api().post("/api/sessions", "{\"group_id\": \"" + group + "\"}"), 404);
        assertProblem(host.api().post("/api/sessions", "{\"group_id\": \"" + UUID.randomUUID() + "\"}"), 404);
        assertInvalid(host.api().post("/api/sessions", "{\"group_id\": \"abc\", \"status\": \"running\"}"), "group_id", "status");
        assertThat(host.api().post("/api/sessions", "{\"group_id\": null}").status()).isEqualTo(201);
        assertThat(host.api().send("POST", "/api/sessions", "application/json", null).status()).as("no body: a session of one's own")
                .isEqualTo(201);

        Instant start = Instant.now().plus(Duration.ofDays(1));
        String later = host.api().post("/api/groups", "{\"name\": \"Later\", \"start_at\": \"" + start + "\", \"end_at\": \""
                + start.plus(Duration.ofDays(2)) + "\", \"period_target_minutes\": 30}").json().getString("id");
        assertProblem(host.api().post("/api/sessions", "{\"group_id\": \"" + later + "\"}"), 409);

        Fixtures.archive(host, group);
        assertProblem(host.api().post("/api/sessions", "{\"group_id\": \"" + group + "\"}"), 409);
    }

    @Test
    void aSessionOfAnArchivedGroupCannotResume() {
        User host = User.random();
        String group = Fixtures.group(host).getString("id");
        String id = Focus.session(host, group);
        Focus.ok(Focus.act(host, id, "start"));

        Fixtures.archive(host, group);

        JsonObject stopped = host.api().get("/api/sessions/" + id).json();
        assertThat(stopped.getString("status")).as("archiving stops it").isEqualTo("ended");
        assertProblem(Focus.act(host, id, "resume"), 409);
    }

    @Test
    void pausingLogsTheSegmentAndFocusedSecondsGrowWhileRunning() throws Exception {
        User host = User.random();
        String id = Focus.session(host, null);
        // started a second ago on the device (the suite's runaway guard pauses a segment after 3 s)
        Focus.ok(Focus.actAt(host, id, "start", Instant.now().minusSeconds(1)));

        long first = host.api().get("/api/sessions/" + id).json().getJsonNumber("focused_seconds").longValue();
        assertThat(first).as("the open segment counts").isBetween(1L, 2L);

        JsonObject paused = Focus.ok(Focus.act(host, id, "pause"));
        long logged = paused.getJsonNumber("focused_seconds").longValue();
        assertThat(logged).isGreaterThanOrEqualTo(first);
        Map<String, Object> log = SQL.rows("select floor(extract(epoch from l.ended_at - l.started_at))::bigint as seconds "
                + "from time_logs l join session_participants p on p.id = l.participant_id "
                + "where p.session_id = ?::uuid and l.source = 'clock' and l.ended_at is not null", id).get(0);
        assertThat(log.get("seconds")).as("paused: the closed log is all there is").isEqualTo(logged);
        assertThat(SQL.count("select count(*) from time_logs l join session_participants p on p.id = l.participant_id "
                + "where p.session_id = ?::uuid and l.ended_at is null", id)).as("no open segment").isZero();
    }

    @Test
    void manualLogsInsideTheWindowAre201() throws Exception {
        User host = User.random();
        Instant from = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        String id = Focus.pausedSince(host, null, from.minus(Duration.ofHours(1)));

        Reply logged = host.api().post("/api/sessions/" + id + "/logs", logBody(from, from.plus(Duration.ofMinutes(25))));

        assertThat(logged.status()).as(logged.toString()).isEqualTo(201);
        JsonObject log = logged.json();
        assertThat(log.keySet()).containsExactlyInAnyOrder("id", "session_id", "user_id", "started_at", "ended_at",
                "duration_seconds", "source", "voided_at", "voided_by", "void_reason");
        assertThat(log.isNull("voided_at")).as("counted for the group").isTrue();
        assertThat(log.getInt("duration_seconds")).isEqualTo(25 * 60);
        assertThat(log.getString("source")).isEqualTo("manual");
        assertThat(log.getString("session_id")).isEqualTo(id);
        assertThat(logged.header("Location")).isPresent();
    }

    @Test
    void everyTimeRuleIs422Or409AndWritesNothing() throws Exception {
        User host = User.random();
        Instant now = Instant.now();
        String scheduled = Focus.session(host, null);
        assertProblem(host.api().post("/api/sessions/" + scheduled + "/logs", logBody(now.minusSeconds(600), now.minusSeconds(60))), 409);

        String id = Focus.pausedSince(host, null, now.minus(Duration.ofHours(30)));
        // another session of the same person, started later (before the logs below, which its start would overlap)
        String other = Focus.pausedSince(host, null, now.minus(Duration.ofHours(29)));
        String path = "/api/sessions/" + id + "/logs";
        Instant started = Instant.parse(host.api().get("/api/sessions/" + id).json().getString("started_at"));

        assertInvalid(host.api().post(path, logBody(started.minusSeconds(60), started.plusSeconds(60))), "started_at");
        assertInvalid(host.api().post(path, logBody(now.minusSeconds(60), now.plusSeconds(3600))), "ended_at");
        assertInvalid(host.api().post(path, logBody(started.plusSeconds(60), started.plus(Duration.ofHours(25)))), "ended_at");
        assertInvalid(host.api().post(path, logBody(now.minusSeconds(60), now.minusSeconds(120))), "ended_at");
        assertInvalid(host.api().post(path, "{\"started_at\": \"yesterday\"}"), "started_at");
        assertInvalid(host.api().post(path, "{}"), "started_at", "ended_at");
        assertInvalid(host.api().post(path, "{\"started_at\": \"" + now + "\", \"ended_at\": \"" + now + "\", \"source\": \"clock\"}"), "source");

        Instant base = now.minus(Duration.ofHours(5)).truncatedTo(ChronoUnit.SECONDS);
        assertThat(host.api().post(path, logBody(base, base.plus(Duration.ofHours(1)))).status()).isEqualTo(201);
        Reply overlap = host.api().post(path, logBody(base.plus(Duration.ofMinutes(30)), base.plus(Duration.ofMinutes(90))));
        assertProblem(overlap, 409);
        assertThat(overlap.json().getString("detail")).contains("overlaps");
        assertThat(host.api().post(path, logBody(base.plus(Duration.ofHours(1)), base.plus(Duration.ofHours(2)))).status())
                .as("touching is fine").isEqualTo(201);

        // overlapping a log of the same person in another session
        assertProblem(host.api().post("/api/sessions/" + other + "/logs", logBody(base.plus(Duration.ofMinutes(10)), base.plus(Duration.ofMinutes(20)))), 409);

        assertThat(SQL.count("select count(*) from time_logs where user_id = ?::uuid and source = 'manual'", Fixtures.profileOf(host)))
                .isEqualTo(2);
    }

    @Test
    void logsAreForParticipantsOnly() {
        User host = User.random();
        User member = User.random();
        String group = Fixtures.group(host).getString("id");
        Fixtures.member(host, group, member, "member");
        String id = Focus.session(host, group);
        Focus.ok(Focus.act(host, id, "start"));
        Instant now = Instant.now();
        assertProblem(member.api().post("/api/sessions/" + id + "/logs", logBody(now.minusSeconds(5), now.minusSeconds(1))), 403);
        assertProblem(User.random().api().post("/api/sessions/" + id + "/logs", logBody(now.minusSeconds(5), now.minusSeconds(1))), 404);
    }

    @Test
    void theLocationOfANewLogIsReadableByWhoeverSeesTheSession() {
        User host = User.random();
        User member = User.random();
        String group = Fixtures.group(host).getString("id");
        Fixtures.member(host, group, member, "member");
        Instant now = Instant.now();
        String id = Focus.pausedSince(host, group, now.minusSeconds(600));

        Reply logged = Focus.postLog(host, id, now.minusSeconds(300), now.minusSeconds(240));

        assertThat(logged.status()).as(logged.toString()).isEqualTo(201);
        String location = logged.header("Location").orElseThrow();
        String path = location.substring(location.indexOf("/api/"));
        assertThat(path).isEqualTo("/api/sessions/" + id + "/logs/" + logged.json().getString("id"));
        for (User reader : List.of(host, member)) {
            Reply read = reader.api().get(path);
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json()).isEqualTo(logged.json());
        }
        assertProblem(User.random().api().get(path), 404);
        assertProblem(host.api().get("/api/sessions/" + id + "/logs/" + java.util.UUID.randomUUID()), 404);
        String other = Focus.session(host, null);
        assertProblem(host.api().get("/api/sessions/" + other + "/logs/" + logged.json().getString("id")), 404);
    }

    @Test
    void tenConcurrentPausesOneWins() throws Exception {
        User host = User.random();
        String id = Focus.session(host, null);
        Focus.ok(Focus.act(host, id, "start"));

        List<CompletableFuture<Reply>> pauses = new ArrayList<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(10);
        for (int i = 0; i < 10; i++) {
            pauses.add(CompletableFuture.supplyAsync(() -> Focus.act(host, id, "pause"), clients));
        }
        clients.shutdown();
        List<Integer> statuses = pauses.stream().map(CompletableFuture::join).map(Reply::status).toList();

        assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 409);
        assertThat(host.api().get("/api/sessions/" + id).json().getString("status")).isEqualTo("paused");
        assertThat(SQL.count("select count(*) from time_logs l join session_participants p on p.id = l.participant_id "
                + "where p.session_id = ?::uuid", UUID.fromString(id))).isEqualTo(1);
    }
}
