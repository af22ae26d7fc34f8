package app.lockin.sessions;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 * A person's timeline stays true whatever clients do (DOMAIN.md "Time logs
 * and a person's timeline"): each reproduction of issue 10 tried to break it.
 */
@LockinServer
class TimelineIT {

    private static final Sql SQL = TestEnvironment.sql();

    private static long secondsOnTheBoard(User user, String groupId) {
        Reply board = user.api().get("/api/groups/" + groupId + "/progress/current");
        assertThat(board.status()).as(board.toString()).isEqualTo(200);
        return board.jsonArray().getJsonObject(0).getJsonNumber("seconds_done").longValue();
    }

    private static long openSegments(User user) throws Exception {
        return SQL.count("select count(*) from time_logs where user_id = ?::uuid and ended_at is null", Fixtures.profileOf(user));
    }

    /** Reproduction 1: a manual log over the running segment used to be taken, counted twice, and block pause and stop for ever. */
    @Test
    void aManualLogOverTheRunningSegmentIs409AndNothingGetsStuck() throws Exception {
        User host = User.random();
        String group = Fixtures.group(host).getString("id");
        String id = Focus.session(host, group);
        // started a second ago on the device (the suite's runaway guard pauses a segment after 3 s)
        Instant started = Instant.now().minusSeconds(1);
        Fixtures.memberSince(group, host, started.minusSeconds(1));
        Focus.ok(Focus.actAt(host, id, "start", started));

        Instant now = Instant.now();
        Reply overlap = Focus.postLog(host, id, now.minusSeconds(1), now);
        assertProblem(overlap, 409);
        assertThat(overlap.json().getString("detail")).contains("overlaps");

        long counted = secondsOnTheBoard(host, group);
        assertThat(counted).as("never more than the wall-clock time that passed")
                .isLessThanOrEqualTo(Duration.between(started, Instant.now()).toSeconds() + 1);
        Focus.ok(Focus.act(host, id, "pause"));
        Focus.ok(Focus.act(host, id, "stop"));
        assertThat(SQL.count("select count(*) from time_logs l join session_participants p on p.id = l.participant_id "
                + "where p.session_id = ?::uuid and l.source = 'manual'", id)).isZero();
    }

    /** Reproduction 2: two sessions of one person used to run (and count) at once, and the second could never stop. */
    @Test
    void aSecondRunningSessionIs409NamingTheRunningOne() throws Exception {
        User host = User.random();
        String group = Fixtures.group(host).getString("id");
        String first = Focus.session(host, group);
        String second = Focus.session(host, group);
        Focus.ok(Focus.act(host, first, "start"));

        Reply refused = Focus.act(host, second, "start");
        assertProblem(refused, 409);
        assertThat(refused.json().getString("running_session_id")).isEqualTo(first);
        assertThat(Focus.get(host, second).getString("status")).as("nothing changed").isEqualTo("scheduled");
        assertThat(openSegments(host)).isEqualTo(1);

        // pausing the first frees the person: the second runs, and then the first cannot resume
        Focus.ok(Focus.act(host, first, "pause"));
        Focus.ok(Focus.act(host, second, "start"));
        Reply resume = Focus.act(host, first, "resume");
        assertProblem(resume, 409);
        assertThat(resume.json().getString("running_session_id")).isEqualTo(second);
        Focus.ok(Focus.act(host, second, "stop"));
        Focus.ok(Focus.act(host, first, "stop"));
        assertThat(openSegments(host)).isZero();
    }

    /** Two devices start two sessions of one person at the same instant, 20 times: never both running. */
    @Test
    void twoDevicesStartingAtTheSameInstantNeverBothRun() throws Exception {
        User host = User.random();
        ExecutorService devices = Executors.newFixedThreadPool(2);
        for (int round = 0; round < 20; round++) {
            String a = Focus.session(host, null);
            String b = Focus.session(host, null);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Reply> startA = CompletableFuture.supplyAsync(() -> awaitThen(go, () -> Focus.act(host, a, "start")), devices);
            CompletableFuture<Reply> startB = CompletableFuture.supplyAsync(() -> awaitThen(go, () -> Focus.act(host, b, "start")), devices);
            go.countDown();
            List<Reply> replies = List.of(startA.join(), startB.join());

            assertThat(replies).extracting(Reply::status).as("round " + round + ": " + replies).containsExactlyInAnyOrder(200, 409);
            String winner = replies.get(0).status() == 200 ? a : b;
            Reply loser = replies.get(0).status() == 200 ? replies.get(1) : replies.get(0);
            assertThat(loser.json().getString("running_session_id")).isEqualTo(winner);
            assertThat(openSegments(host)).isEqualTo(1);
            Focus.ok(Focus.act(host, winner, "stop"));
        }
        devices.shutdown();
    }

    private static Reply awaitThen(CountDownLatch go, java.util.function.Supplier<Reply> action) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return action.get();
    }

    /** Reproduction 4: time logged into the paused gap of a session used to change an archived group's board. */
    @Test
    void anArchivedGroupsTimeIsFrozen() throws Exception {
        User host = User.random();
        String group = Fixtures.group(host).getString("id");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String id = Focus.pausedSince(host, group, t0.minusSeconds(600));
        Focus.log(host, id, t0.minusSeconds(590), t0.minusSeconds(500));
        Focus.ok(Focus.act(host, id, "resume"));
        Focus.ok(Focus.act(host, id, "stop"));
        Fixtures.archive(host, group);
        long before = secondsOnTheBoard(host, group);

        Reply late = Focus.postLog(host, id, t0.minusSeconds(400), t0.minusSeconds(300));

        assertProblem(late, 409);
        assertThat(late.json().getString("detail")).contains("archived");
        assertThat(secondsOnTheBoard(host, group)).isEqualTo(before);
    }

    @Test
    void aDeviceTimeIsTakenWithinItsBounds() throws Exception {
        User host = User.random();
        String id = Focus.session(host, null);
        Instant now = Instant.now();

        assertInvalid(Focus.actAt(host, id, "start", now.plus(Duration.ofHours(1))), "at");
        assertInvalid(Focus.actAt(host, id, "start", now.minus(Duration.ofHours(49))), "at");
        assertInvalid(host.api().post("/api/sessions/" + id + ":start", "{\"at\": \"soon\"}"), "at");
        assertInvalid(host.api().post("/api/sessions/" + id + ":start", "{\"when\": \"" + now + "\"}"), "when");
        assertThat(Focus.get(host, id).getString("status")).as("nothing changed").isEqualTo("scheduled");

        Instant tenMinutesAgo = now.minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
        JsonObject started = Focus.ok(Focus.actAt(host, id, "start", tenMinutesAgo));
        assertThat(Instant.parse(started.getString("started_at"))).isEqualTo(tenMinutesAgo);
        // the runaway guard (3 s in the suite) may pause it at start + 3 s: a pause before that is refused either way
        Reply early = Focus.actAt(host, id, "pause", tenMinutesAgo.minusSeconds(1));
        assertThat(early.status()).as(early.toString()).isIn(409, 422);
        Focus.ok(Focus.actAt(host, id, "stop", tenMinutesAgo.plusSeconds(3)));

        // a device clock a little ahead is taken as now
        String other = Focus.session(host, null);
        Instant ahead = Instant.now().plusSeconds(3);
        JsonObject running = Focus.ok(Focus.actAt(host, other, "start", ahead));
        assertThat(Instant.parse(running.getString("started_at"))).isBeforeOrEqualTo(ahead).isAfter(ahead.minusSeconds(10));
        Focus.ok(Focus.act(host, other, "stop"));
    }

    @Test
    void manualLogsOlderThanTheOfflineGraceAre422() throws Exception {
        User host = User.random();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String id = Focus.pausedSince(host, null, now.minus(Duration.ofHours(47)));
        // as if it had been started three days ago (device times cannot reach so far)
        SQL.update("update sessions set started_at = started_at - interval '3 days' where id = ?::uuid", id);

        assertInvalid(Focus.postLog(host, id, now.minus(Duration.ofHours(50)), now.minus(Duration.ofHours(49))), "ended_at");
        Focus.log(host, id, now.minus(Duration.ofHours(47)), now.minus(Duration.ofHours(46)));
    }

    @Test
    void theRunawayGuardPausesAtSegmentStartPlusTheMaximum() throws Exception {
        User host = User.random();
        String group = Fixtures.group(host).getString("id");
        String id = Focus.session(host, group);
        Focus.ok(Focus.act(host, id, "start"));

        // LOCKIN_MAX_SEGMENT=3s in the suite, the timer ticks every 2 s
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(Focus.get(host, id).getString("status")).isEqualTo("paused"));

        List<Map<String, Object>> logs = SQL.rows("select extract(epoch from l.ended_at - l.started_at)::float8 as seconds "
                + "from time_logs l join session_participants p on p.id = l.participant_id where p.session_id = ?::uuid", id);
        assertThat(logs).singleElement().satisfies(log -> assertThat((Double) log.get("seconds")).isEqualTo(3.0));
        List<JsonObject> inbox = host.api().get("/api/notifications").jsonArray().getValuesAs(JsonObject.class);
        assertThat(inbox).filteredOn(n -> n.getString("kind").equals("session_autopaused")).singleElement()
                .satisfies(n -> assertThat(n.getString("group_id")).isEqualTo(group));
        Focus.ok(Focus.act(host, id, "resume"));
        Focus.ok(Focus.act(host, id, "stop"));
    }

    /** Milestones follow the log: an offline log for yesterday gives yesterday's milestone, once. */
    @Test
    void anOfflineLogForYesterdayGivesYesterdaysMilestoneOnce() throws Exception {
        User owner = User.random();
        Instant start = Instant.now().minus(Duration.ofDays(3));
        Reply created = owner.api().post("/api/groups", "{\"name\": \"Yesterday\", \"start_at\": \"" + start + "\", \"end_at\": \""
                + start.plus(Duration.ofDays(30)) + "\", \"timezone\": \"UTC\", \"period\": \"daily\", \"period_target_minutes\": 1}");
        String group = created.json().getString("id");
        Instant yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant noon = yesterday.plus(Duration.ofHours(12));
        String id = Focus.pausedSince(owner, group, noon.minusSeconds(60));

        Focus.log(owner, id, noon, noon.plusSeconds(90));
        Focus.log(owner, id, noon.plusSeconds(100), noon.plusSeconds(200));

        List<Map<String, Object>> milestones = SQL.rows("select period_start from notifications "
                + "where group_id = ?::uuid and kind = 'milestone_member'", group);
        assertThat(milestones).singleElement()
                .satisfies(m -> assertThat(((java.sql.Timestamp) m.get("period_start")).toInstant()).isEqualTo(yesterday));
        assertThat(secondsOnTheBoard(owner, group)).as("today's board does not count yesterday").isZero();
    }
}
