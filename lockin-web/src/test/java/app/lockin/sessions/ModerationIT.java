package app.lockin.sessions;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

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
 * Moderation: the owner and admins void a member's log ({@code :void} with a
 * reason) or restore it ({@code :unvoid}); a voided log stays in the person's
 * record and counts nowhere in the group, and never once its period is final.
 */
@LockinServer
class ModerationIT {

    private static final Sql SQL = TestEnvironment.sql();

    private record Logged(Crew crew, String session, String log, String path) {
    }

    /** A crew whose plain member logged 300 s into a session of theirs in the group, a few minutes ago. */
    private static Logged logged() {
        Crew crew = Fixtures.crewSinceYesterday();
        Instant now = Instant.now();
        String session = Focus.pausedSince(crew.member(), crew.groupId(), now.minusSeconds(600));
        String log = Focus.log(crew.member(), session, now.minusSeconds(500), now.minusSeconds(200)).getString("id");
        return new Logged(crew, session, log, "/api/sessions/" + session + "/logs/" + log);
    }

    private static long secondsOf(User viewer, String groupId, User member) {
        String id = Fixtures.profileOf(member);
        return viewer.api().get("/api/groups/" + groupId + "/progress/current").jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("user_id").equals(id))
                .mapToLong(e -> e.getJsonNumber("seconds_done").longValue()).sum();
    }

    @Test
    void anAdminVoidsALogItCountsNowhereInTheGroupAndTheMemberIsTold() {
        Logged l = logged();
        Crew crew = l.crew();
        assertThat(secondsOf(crew.owner(), crew.groupId(), crew.member())).isEqualTo(300);

        Reply voided = crew.admin().api().post(l.path() + ":void", "{\"reason\": \"Phone left on the desk all afternoon\"}");
        assertThat(voided.status()).as(voided.toString()).isEqualTo(200);
        assertThat(voided.json().isNull("voided_at")).isFalse();
        assertThat(voided.json().getString("voided_by")).isEqualTo(Fixtures.profileOf(crew.admin()));
        assertThat(voided.json().getString("void_reason")).isEqualTo("Phone left on the desk all afternoon");
        assertThat(secondsOf(crew.owner(), crew.groupId(), crew.member())).as("counts nowhere in the group").isZero();
        assertThat(secondsOf(crew.member(), crew.groupId(), crew.member())).isZero();

        // still in the person's own record, marked
        List<JsonObject> mine = crew.member().api().get("/api/me/time-logs").json().getJsonArray("logs").getValuesAs(JsonObject.class);
        assertThat(mine).filteredOn(log -> log.getString("id").equals(l.log())).singleElement()
                .satisfies(log -> assertThat(log.getString("void_reason")).isEqualTo("Phone left on the desk all afternoon"));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Reply stats = crew.member().api().get("/api/me/stats?from=" + today.minusDays(1) + "&to=" + today);
        assertThat(stats.json().getJsonNumber("total_seconds").longValue()).as("their own record keeps it").isGreaterThanOrEqualTo(300);
        List<JsonObject> inbox = crew.member().api().get("/api/notifications").jsonArray().getValuesAs(JsonObject.class);
        assertThat(inbox).filteredOn(n -> n.getString("kind").equals("log_voided")).singleElement()
                .satisfies(n -> assertThat(n.getString("body")).contains("Phone left on the desk all afternoon"));

        // twice: 409; restored by the owner: it counts again; restored twice: 409
        assertProblem(crew.owner().api().post(l.path() + ":void", "{\"reason\": \"again\"}"), 409);
        Reply restored = crew.owner().api().post(l.path() + ":unvoid", null);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.json().isNull("voided_at")).isTrue();
        assertThat(restored.json().isNull("void_reason")).isTrue();
        assertThat(secondsOf(crew.owner(), crew.groupId(), crew.member())).isEqualTo(300);
        assertProblem(crew.owner().api().post(l.path() + ":unvoid", null), 409);
    }

    @Test
    void onlyTheOwnerAndAdminsVoidAndOnlyWithAReason() {
        Logged l = logged();
        Crew crew = l.crew();
        String voidIt = l.path() + ":void";
        assertProblem(Api.anonymous().post(voidIt, "{\"reason\": \"x\"}"), 401);
        assertProblem(User.random().api().post(voidIt, "{\"reason\": \"x\"}"), 404);
        assertProblem(crew.member().api().post(voidIt, "{\"reason\": \"mine\"}"), 403);
        assertProblem(crew.member().api().post(l.path() + ":unvoid", null), 403);
        assertInvalid(crew.owner().api().post(voidIt, "{}"), "reason");
        assertInvalid(crew.owner().api().post(voidIt, "{\"reason\": \"\"}"), "reason");
        assertInvalid(crew.owner().api().post(voidIt, "{\"reason\": \"" + "r".repeat(201) + "\"}"), "reason");
        assertProblem(crew.owner().api().post("/api/sessions/" + l.session() + "/logs/" + UUID.randomUUID() + ":void",
                "{\"reason\": \"x\"}"), 404);
        assertProblem(crew.owner().api().post("/api/sessions/" + UUID.randomUUID() + "/logs/" + l.log() + ":void",
                "{\"reason\": \"x\"}"), 404);
        assertThat(secondsOf(crew.owner(), crew.groupId(), crew.member())).as("nothing half-written").isEqualTo(300);
    }

    @Test
    void aRunningLogOrAFinalPeriodCannotBeVoided() throws Exception {
        Crew crew = Fixtures.crew();
        String running = Focus.session(crew.owner(), crew.groupId());
        Focus.ok(Focus.act(crew.owner(), running, "start"));
        List<java.util.Map<String, Object>> open = SQL.rows("select l.id::text as id from time_logs l "
                + "join session_participants p on p.id = l.participant_id where p.session_id = ?::uuid and l.ended_at is null", running);
        for (var row : open) {   // none when the suite's 3 s runaway guard closed it first
            assertProblem(crew.owner().api().post("/api/sessions/" + running + "/logs/" + row.get("id") + ":void",
                    "{\"reason\": \"x\"}"), 409);
        }
        Focus.act(crew.owner(), running, "stop");

        // a log four days old (the offline grace is 48 h): written past the API, as the past is
        String ownerId = Fixtures.profileOf(crew.owner());
        Fixtures.memberSince(crew.groupId(), crew.owner(), Instant.now().minus(Duration.ofDays(5)));
        SQL.update("update groups set start_at = now() - interval '5 days' where id = ?::uuid", crew.groupId());
        String old = UUID.randomUUID().toString();
        String participant = UUID.randomUUID().toString();
        SQL.update("insert into sessions (id, group_id, creator_id, status, started_at) "
                + "values (?::uuid, ?::uuid, ?::uuid, 'paused', now() - interval '4 days')", old, crew.groupId(), ownerId);
        SQL.update("insert into session_participants (id, session_id, user_id, role, joined_at) "
                + "values (?::uuid, ?::uuid, ?::uuid, 'host', now() - interval '4 days')", participant, old, ownerId);
        String log = (String) SQL.value("insert into time_logs (participant_id, started_at, ended_at, source) "
                + "values (?::uuid, now() - interval '4 days', now() - interval '4 days' + interval '1 hour', 'manual') "
                + "returning id::text", participant);
        assertProblem(crew.admin().api().post("/api/sessions/" + old + "/logs/" + log + ":void", "{\"reason\": \"too late\"}"), 409);
    }
}
