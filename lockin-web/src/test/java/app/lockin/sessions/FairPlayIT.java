package app.lockin.sessions;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Fixtures;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * Fair play on the timeline, tried as a cheater would (DOMAIN.md "Fair
 * play"): nothing counts from before its person joined the group (nor, for a
 * participant, the session), no segment is longer than the runaway cap
 * however it is closed (LOCKIN_MAX_SEGMENT=3s in the suite), and access to a
 * group's sessions follows membership.
 */
@LockinServer
class FairPlayIT {

    private static final Sql SQL = TestEnvironment.sql();
    private static final Duration CAP = Duration.ofSeconds(3);

    private static List<Map<String, Object>> logsOf(String sessionId) throws Exception {
        return SQL.rows("select extract(epoch from l.ended_at - l.started_at)::float8 as seconds, l.ended_at"
                + " from time_logs l join session_participants p on p.id = l.participant_id where p.session_id = ?::uuid", sessionId);
    }

    private static long autopaused(User host) {
        return host.api().get("/api/notifications").jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(n -> n.getString("kind").equals("session_autopaused")).count();
    }

    /** A newcomer by join link cannot date a segment back to before they joined: 422 on `at`, nothing written. */
    @Test
    void aDeviceTimeBeforeJoiningTheGroupIsRefused() throws Exception {
        User owner = User.random();
        String group = Fixtures.group(owner).getString("id");
        String code = owner.api().post("/api/groups/" + group + "/links", null).json().getString("code");
        User newcomer = User.random();
        Reply joined = newcomer.api().post("/api/links/" + code + ":join", null);
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);

        String id = Focus.session(newcomer, group);
        Instant twoDaysAgo = Instant.now().minus(Duration.ofHours(47)).minus(Duration.ofMinutes(58));
        assertInvalid(Focus.actAt(newcomer, id, "start", twoDaysAgo), "at");
        assertThat(Focus.get(newcomer, id).getString("status")).as("nothing written").isEqualTo("scheduled");
        assertThat(logsOf(id)).isEmpty();

        // started now, a manual log from before joining is refused too
        Focus.ok(Focus.act(newcomer, id, "start"));
        Focus.act(newcomer, id, "pause");
        Instant now = Instant.now();
        assertInvalid(Focus.postLog(newcomer, id, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))), "started_at");
        assertThat(newcomer.api().get("/api/groups/" + group + "/progress/current").jsonArray().getJsonObject(0)
                .getJsonNumber("seconds_done").longValue()).as("at most the cap").isLessThanOrEqualTo(CAP.toSeconds());
    }

    /** The boundary is the joining itself: a device time a second before it is refused, a second after it is kept. */
    @Test
    void aDeviceTimeJustBeforeJoiningIsRefusedAndJustAfterIsKept() throws Exception {
        Fixtures.Crew crew = Fixtures.crewSinceYesterday();
        Instant joined = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        Fixtures.memberSince(crew.groupId(), crew.member(), joined);
        String id = Focus.session(crew.member(), crew.groupId());

        assertInvalid(Focus.actAt(crew.member(), id, "start", joined.minusSeconds(1)), "at");
        assertThat(logsOf(id)).as("nothing written").isEmpty();
        Focus.ok(Focus.actAt(crew.member(), id, "start", joined.plusSeconds(1)));
        Focus.act(crew.member(), id, "pause");
        assertThat(logsOf(id)).singleElement().satisfies(log -> assertThat((Double) log.get("seconds"))
                .as("kept, cut at the cap").isEqualTo((double) CAP.toSeconds()));
    }

    /** A participant logs nothing from before they joined the session, though they were a member long before. */
    @Test
    void aParticipantsLogBeforeJoiningTheSessionIsRefused() throws Exception {
        Fixtures.Crew crew = Fixtures.crew();
        Instant since = Instant.now().minus(Duration.ofHours(1));
        Fixtures.memberSince(crew.groupId(), crew.member(), since);
        String id = Focus.pausedSince(crew.owner(), crew.groupId(), since.plusSeconds(60));
        Reply joined = crew.member().api().post("/api/sessions/" + id + ":join", null);
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);

        Instant now = Instant.now();
        assertInvalid(Focus.postLog(crew.member(), id, now.minusSeconds(600), now.minusSeconds(300)), "started_at");
        Focus.log(crew.owner(), id, now.minusSeconds(600), now.minusSeconds(300));
    }

    /** A stop that comes after the cap closes the segment at the cap and pauses there, as the guard would. */
    @Test
    void aStopAfterTheCapClosesTheSegmentAtTheCap() throws Exception {
        User host = User.random();
        String id = Focus.session(host, null);
        Focus.ok(Focus.actAt(host, id, "start", Instant.now().minusSeconds(10)));

        JsonObject stopped = Focus.ok(Focus.act(host, id, "stop"));
        // the request closed it (paused at the cap), unless the guard's tick came first (then the stop ended it)
        assertThat(stopped.getString("status")).isIn("paused", "ended");
        assertThat(logsOf(id)).singleElement().satisfies(log -> assertThat((Double) log.get("seconds")).isEqualTo(3.0));
        assertThat(autopaused(host)).isEqualTo(1);
        assertThat(stopped.getJsonNumber("focused_seconds").longValue()).isEqualTo(CAP.toSeconds());
    }

    /** Two devices closing the same long segment at once: one cap, one notice, nothing counted twice. */
    @Test
    void twoDevicesClosingOneLongSegmentCutItOnce() throws Exception {
        User host = User.random();
        String id = Focus.session(host, null);
        Focus.ok(Focus.actAt(host, id, "start", Instant.now().minusSeconds(30)));

        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Reply>> closes = List.of("pause", "stop").stream()
                .map(action -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Focus.act(host, id, action);
                }))
                .toList();
        go.countDown();
        for (CompletableFuture<Reply> close : closes) {
            assertThat(close.get().status()).as(close.get().toString()).isIn(200, 409);
        }
        assertThat(logsOf(id)).singleElement().satisfies(log -> assertThat((Double) log.get("seconds")).isEqualTo(3.0));
        assertThat(autopaused(host)).isEqualTo(1);
    }

    /** Access follows membership: someone removed from the group no longer reads, joins or logs into its sessions. */
    @Test
    void aRemovedMemberLosesTheGroupsSessions() throws Exception {
        Fixtures.Crew crew = Fixtures.crew();
        String member = Fixtures.profileOf(crew.member());
        String id = Focus.session(crew.owner(), crew.groupId());
        String path = "/api/sessions/" + id;
        assertThat(crew.member().api().post(path + ":join", null).status()).isEqualTo(200);
        assertThat(crew.member().api().post(path + ":leave", null).status()).isEqualTo(200);
        Reply removed = crew.owner().api().delete("/api/groups/" + crew.groupId() + "/members/" + member);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);

        assertProblem(crew.member().api().get(path), 404);
        assertProblem(crew.member().api().get(path + "/participants"), 404);
        assertProblem(crew.member().api().post(path + ":join", null), 404);
        Instant now = Instant.now();
        assertProblem(Focus.postLog(crew.member(), id, now.minusSeconds(2), now.minusSeconds(1)), 404);
        assertThat(Focus.get(crew.owner(), id).getString("status")).isEqualTo("scheduled");
    }

    /** Removal closes the person's open segment at that moment; a host's sessions in the group stop. */
    @Test
    void removalClosesTheOpenSegmentAtOnce() throws Exception {
        Fixtures.Crew crew = Fixtures.crew();
        String member = Fixtures.profileOf(crew.member());
        String admin = Fixtures.profileOf(crew.admin());
        String ownersSession = Focus.session(crew.owner(), crew.groupId());
        assertThat(crew.member().api().post("/api/sessions/" + ownersSession + ":join", null).status()).isEqualTo(200);
        String adminsSession = Focus.session(crew.admin(), crew.groupId());
        Focus.ok(Focus.act(crew.owner(), ownersSession, "start"));
        // the admin's segment is past the cap (3 s) when they leave: it ends there, not paused
        Fixtures.memberSince(crew.groupId(), crew.admin(), Instant.now().minusSeconds(60));
        Focus.ok(Focus.actAt(crew.admin(), adminsSession, "start", Instant.now().minusSeconds(10)));

        assertThat(crew.owner().api().delete("/api/groups/" + crew.groupId() + "/members/" + member).status()).isEqualTo(204);
        assertThat(crew.admin().api().delete("/api/groups/" + crew.groupId() + "/members/" + admin).status()).as("leaving").isEqualTo(204);

        assertThat(SQL.count("select count(*) from time_logs where user_id in (?::uuid, ?::uuid) and ended_at is null", member, admin))
                .as("no open segment left").isZero();
        assertThat(SQL.value("select status::text from sessions where id = ?::uuid", adminsSession)).isEqualTo("ended");
        assertThat(SQL.rows("select extract(epoch from l.ended_at - l.started_at)::float8 as seconds from time_logs l "
                + "join session_participants p on p.id = l.participant_id where p.session_id = ?::uuid", adminsSession))
                .allSatisfy(log -> assertThat((Double) log.get("seconds")).isLessThanOrEqualTo(3.0));
        assertThat(SQL.value("select left_at is not null from session_participants where session_id = ?::uuid and user_id = ?::uuid",
                ownersSession, member)).isEqualTo(true);
        assertThat(Focus.get(crew.owner(), ownersSession).getString("status")).as("the host's session goes on").isIn("running", "paused");
        Focus.act(crew.owner(), ownersSession, "stop");
    }

    /** Every log says how it was made: the database decides from the times (device time further than 60 s back: declared). */
    @Test
    void everyLogSaysHowItWasMade() throws Exception {
        User host = User.random();
        String manual = Focus.pausedSince(host, null, Instant.now().minusSeconds(300));
        String dated = Focus.session(host, null);
        Focus.ok(Focus.actAt(host, dated, "start", Instant.now().minusSeconds(120)));
        Focus.act(host, dated, "stop");   // the cap (3 s in the suite) closed it, or closes it now
        String live = Focus.session(host, null);
        Focus.ok(Focus.act(host, live, "start"));
        Focus.act(host, live, "stop");

        Focus.log(host, manual, Instant.now().minusSeconds(60), Instant.now().minusSeconds(50));
        List<JsonObject> logs = host.api().get("/api/me/time-logs").json().getJsonArray("logs").getValuesAs(JsonObject.class);
        assertThat(logs).filteredOn(l -> l.getString("session_id").equals(dated)).extracting(l -> l.getString("source"))
                .containsExactly("device");
        assertThat(logs).filteredOn(l -> l.getString("session_id").equals(live)).extracting(l -> l.getString("source"))
                .containsExactly("clock");
        assertThat(logs).filteredOn(l -> l.getString("session_id").equals(manual)).extracting(l -> l.getString("source"))
                .contains("manual");
    }
}
