package app.lockin.sessions;

import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * Focusing together: {@code :join} and {@code :leave} of a group's session and
 * {@code GET /api/groups/{id}/sessions}. The host's clock drives everyone in
 * it, and one place at a time holds for each of them. (The suite's runaway
 * guard pauses a segment after 3 s: each segment here lasts a few requests.)
 */
@LockinServer
class FocusingTogetherIT {

    private static final Sql SQL = TestEnvironment.sql();

    private static Reply join(User user, String sessionId) {
        return user.api().post("/api/sessions/" + sessionId + ":join", null);
    }

    private static Reply leave(User user, String sessionId) {
        return user.api().post("/api/sessions/" + sessionId + ":leave", null);
    }

    /** The person's logs in the session, oldest first: [started_at, ended_at] (ended_at null while open). */
    private static List<Map<String, Object>> logs(String sessionId, User person) throws Exception {
        return SQL.rows("select l.started_at, l.ended_at from time_logs l join session_participants p on p.id = l.participant_id"
                + " where p.session_id = ?::uuid and l.user_id = ?::uuid order by l.started_at", sessionId, Fixtures.profileOf(person));
    }

    private static Instant at(Map<String, Object> log, String column) {
        Object value = log.get(column);
        return value == null ? null : ((Timestamp) value).toInstant();
    }

    private static Instant participantTime(String sessionId, User person, String column) throws Exception {
        Object value = SQL.value("select " + column + " from session_participants where session_id = ?::uuid and user_id = ?::uuid",
                sessionId, Fixtures.profileOf(person));
        return value == null ? null : ((Timestamp) value).toInstant();
    }

    private static JsonObject boardEntry(User viewer, String groupId, User person) {
        Reply board = viewer.api().get("/api/groups/" + groupId + "/progress/current");
        assertThat(board.status()).as(board.toString()).isEqualTo(200);
        return board.jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("user_id").equals(Fixtures.profileOf(person))).findFirst().orElseThrow();
    }

    @Test
    void theHostsClockDrivesEveryParticipantAndLeavingClosesOnlyTheLeaversPart() throws Exception {
        Crew crew = Fixtures.crew();
        User host = crew.owner();
        User early = crew.member();
        User late = crew.admin();
        String id = Focus.session(host, crew.groupId());
        JsonObject joined = Focus.ok(join(early, id));   // joins while scheduled: in from the start
        assertThat(joined.getInt("participant_count")).isEqualTo(2);
        assertThat(joined.getString("status")).isEqualTo("scheduled");

        // first segment: late joins while it runs, at once on the board
        Focus.ok(Focus.act(host, id, "start"));
        assertThat(Focus.ok(join(late, id)).getInt("participant_count")).isEqualTo(3);
        assertThat(boardEntry(host, crew.groupId(), late).getBoolean("is_focusing")).isTrue();
        Focus.ok(Focus.act(host, id, "pause"));
        Instant lateJoined = participantTime(id, late, "joined_at");

        // second segment: late leaves while it runs; the others go on
        Focus.ok(Focus.act(host, id, "resume"));
        JsonObject afterLeaving = Focus.ok(leave(late, id));
        assertThat(afterLeaving.getInt("participant_count")).isEqualTo(2);
        assertThat(afterLeaving.getString("status")).isEqualTo("running");
        assertThat(boardEntry(host, crew.groupId(), late).getBoolean("is_focusing")).isFalse();
        assertThat(boardEntry(host, crew.groupId(), early).getBoolean("is_focusing")).isTrue();
        Focus.ok(Focus.act(host, id, "pause"));
        Instant lateLeft = participantTime(id, late, "left_at");

        // third segment: late is not in it; joins again, and the host's stop closes everyone
        Focus.ok(Focus.act(host, id, "resume"));
        Focus.ok(join(late, id));
        Instant lateBack = participantTime(id, late, "joined_at");
        Focus.ok(Focus.act(host, id, "stop"));

        List<Map<String, Object>> hostLogs = logs(id, host);
        List<Map<String, Object>> earlyLogs = logs(id, early);
        List<Map<String, Object>> lateLogs = logs(id, late);
        assertThat(hostLogs).hasSize(3);
        assertThat(earlyLogs).as("in every segment, exactly the host's").isEqualTo(hostLogs);
        assertThat(lateLogs).hasSize(3);
        assertThat(at(lateLogs.get(0), "started_at")).isEqualTo(lateJoined);
        assertThat(at(lateLogs.get(0), "ended_at")).isEqualTo(at(hostLogs.get(0), "ended_at"));
        assertThat(at(lateLogs.get(1), "started_at")).isEqualTo(at(hostLogs.get(1), "started_at"));
        assertThat(at(lateLogs.get(1), "ended_at")).isEqualTo(lateLeft);
        assertThat(at(lateLogs.get(2), "started_at")).isEqualTo(lateBack);
        assertThat(at(lateLogs.get(2), "ended_at")).isEqualTo(at(hostLogs.get(2), "ended_at"));
        assertThat(SQL.count("select count(*) from time_logs l join session_participants p on p.id = l.participant_id"
                + " where p.session_id = ?::uuid and l.ended_at is null", id)).as("the stop closed everyone").isZero();

        // the participants list: everyone with their times; seconds are their own
        Reply participants = host.api().get("/api/sessions/" + id + "/participants");
        assertThat(participants.status()).isEqualTo(200);
        assertThat(participants.jsonArray()).hasSize(3);
        JsonObject lateListed = participants.jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("user_id").equals(Fixtures.profileOf(late))).findFirst().orElseThrow();
        assertThat(lateListed.getString("role")).isEqualTo("participant");
        assertThat(lateListed.isNull("left_at")).isTrue();
        assertThat(Instant.parse(lateListed.getString("joined_at"))).isEqualTo(lateBack.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void onePlaceAtATimeHoldsForEveryParticipant() throws Exception {
        Crew crew = Fixtures.crew();
        User host = crew.owner();
        User busy = crew.member();
        String id = Focus.session(host, crew.groupId());
        String own = Focus.session(busy, null);
        Focus.ok(Focus.act(busy, own, "start"));

        // running elsewhere: joining is refused, naming the running session, whatever this one's state
        Reply refused = join(busy, id);
        assertProblem(refused, 409);
        assertThat(refused.json().getString("running_session_id")).isEqualTo(own);
        Focus.ok(Focus.act(host, id, "start"));
        refused = join(busy, id);
        assertProblem(refused, 409);
        assertThat(refused.json().getString("running_session_id")).isEqualTo(own);
        assertThat(Focus.get(host, id).getInt("participant_count")).as("nothing written").isEqualTo(1);
        Focus.ok(Focus.act(host, id, "pause"));

        // in it while paused, then running their own: the host's resume goes on without them
        Focus.ok(Focus.act(busy, own, "pause"));
        Focus.ok(join(busy, id));
        Focus.ok(Focus.act(busy, own, "resume"));
        Focus.ok(Focus.act(host, id, "resume"));
        assertThat(logs(id, busy)).as("not in this segment").isEmpty();
        assertThat(SQL.count("select count(*) from time_logs where user_id = ?::uuid and ended_at is null",
                Fixtures.profileOf(busy))).isEqualTo(1);
        Focus.ok(Focus.act(host, id, "stop"));
        Focus.ok(Focus.act(busy, own, "stop"));
    }

    @Test
    void whoMayJoinAndLeave() throws Exception {
        Crew crew = Fixtures.crew();
        User host = crew.owner();
        User member = crew.member();
        User stranger = User.random();
        String id = Focus.session(host, crew.groupId());

        assertProblem(Api.anonymous().post("/api/sessions/" + id + ":join", null), 401);
        assertProblem(Api.anonymous().post("/api/sessions/" + id + ":leave", null), 401);
        assertProblem(join(stranger, id), 404);
        assertProblem(leave(stranger, id), 404);
        assertProblem(join(member, "4f1c2a5e-0000-4000-8000-000000000000"), 404);
        assertProblem(join(member, "not-a-uuid"), 404);
        assertProblem(leave(member, id), 403);   // a member who is not in it
        assertProblem(join(host, id), 409);       // the host is in it
        assertProblem(leave(host, id), 403);      // the host stops instead

        Focus.ok(join(member, id));
        assertProblem(join(member, id), 409);     // in it already
        Focus.ok(leave(member, id));
        assertProblem(leave(member, id), 409);    // left already

        String own = Focus.session(host, null);   // a session of one's own: nobody else sees it
        assertProblem(join(member, own), 404);

        Focus.ok(Focus.act(host, id, "stop"));     // cancelled
        assertProblem(join(member, id), 409);
        assertProblem(leave(member, id), 409);
        assertThat(Focus.get(host, id).getInt("participant_count")).isEqualTo(1);

        // an archived group's sessions are over
        String running = Focus.session(host, crew.groupId());
        Focus.ok(Focus.act(host, running, "start"));
        Fixtures.archive(host, crew.groupId());
        assertProblem(join(member, running), 409);
    }

    @Test
    void aGroupsSessionsNewestFirstByPagesWithWhoIsInThem() throws Exception {
        Crew crew = Fixtures.crew();
        User host = crew.owner();
        String first = Focus.session(host, crew.groupId());
        String second = Focus.session(crew.admin(), crew.groupId());
        String third = Focus.session(host, crew.groupId());
        Focus.session(host, null);                 // not the group's
        Focus.ok(join(crew.member(), second));
        Focus.ok(join(host, second));

        Reply page = crew.member().api().get("/api/groups/" + crew.groupId() + "/sessions?limit=2");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.jsonArray().getValuesAs(JsonObject.class)).extracting(s -> s.getString("id")).containsExactly(third, second);
        assertThat(page.jsonArray().getJsonObject(1).getInt("participant_count")).isEqualTo(3);
        String next = page.header("Link").orElseThrow();
        String path = next.substring(next.indexOf('<') + 1, next.indexOf('>'));
        Reply rest = crew.member().api().get(path);
        assertThat(rest.jsonArray().getValuesAs(JsonObject.class)).extracting(s -> s.getString("id")).containsExactly(first);
        assertThat(rest.header("Link")).isEmpty();

        Focus.ok(Focus.act(crew.admin(), second, "start"));
        Reply running = host.api().get("/api/groups/" + crew.groupId() + "/sessions?status=running");
        assertThat(running.jsonArray().getValuesAs(JsonObject.class)).extracting(s -> s.getString("id")).containsExactly(second);
        Focus.ok(Focus.act(crew.admin(), second, "stop"));

        assertProblem(host.api().get("/api/groups/" + crew.groupId() + "/sessions?status=sleeping"), 400);
        assertProblem(host.api().get("/api/groups/" + crew.groupId() + "/sessions?limit=0"), 400);
        assertProblem(User.random().api().get("/api/groups/" + crew.groupId() + "/sessions"), 404);
        assertProblem(Api.anonymous().get("/api/groups/" + crew.groupId() + "/sessions"), 401);
    }
}
