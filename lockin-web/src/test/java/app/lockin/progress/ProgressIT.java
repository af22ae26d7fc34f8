package app.lockin.progress;

import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

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

/** GET /api/groups/{id}/progress/current: the live leaderboard, and the milestones time logs bring. */
@LockinServer
class ProgressIT {

    private static final Sql SQL = TestEnvironment.sql();

    private static List<JsonObject> board(User user, String groupId) {
        return board(user.api(), groupId);
    }

    private static List<JsonObject> board(Api reader, String groupId) {
        Reply reply = reader.get("/api/groups/" + groupId + "/progress/current");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.jsonArray().getValuesAs(JsonObject.class);
    }

    private static String group(User owner, String timezone, String period, int target, Instant start) {
        Reply created = owner.api().post("/api/groups", "{\"name\": \"Board\", \"start_at\": \"" + start + "\", \"end_at\": \""
                + start.plus(Duration.ofDays(60)) + "\", \"timezone\": \"" + timezone + "\", \"period\": \"" + period
                + "\", \"period_target_minutes\": " + target + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getString("id");
    }

    @Test
    void everyMemberHasAnEntryHighestFirst() throws Exception {
        User owner = User.random();
        User member = User.random();
        String id = group(owner, Fixtures.zoneAwayFromMidnight().getId(), "daily", 1, Instant.now().minus(Duration.ofDays(2)));
        Fixtures.member(owner, id, member, "member");
        SQL.update("update group_members set override_period_target_minutes = 3 where group_id = ?::uuid and user_id = ?::uuid",
                id, Fixtures.profileOf(member));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(member, id, t0.minusSeconds(300));
        Focus.log(member, session, t0.minusSeconds(290), t0.minusSeconds(170));
        Focus.ok(Focus.act(member, session, "resume"));

        List<JsonObject> board = board(owner, id);

        assertThat(board).hasSize(2);
        JsonObject first = board.get(0);
        assertThat(first.keySet()).containsExactlyInAnyOrder("user_id", "display_name", "avatar_url", "seconds_done",
                "seconds_declared", "target_minutes", "goal_met", "period_start", "period_end", "rank", "is_focusing", "streak",
                "best_streak", "hidden", "former_member");
        assertThat(first.getString("user_id")).isEqualTo(Fixtures.profileOf(member));
        assertThat(first.getInt("rank")).isEqualTo(1);
        assertThat(first.getBoolean("is_focusing")).isTrue();
        assertThat(first.getInt("target_minutes")).as("the member's own target").isEqualTo(3);
        assertThat(first.getBoolean("goal_met")).isFalse();
        assertThat(first.getJsonNumber("seconds_done").longValue()).as("120 s logged, and the running segment").isBetween(120L, 124L);
        JsonObject second = board.get(1);
        assertThat(second.getInt("rank")).isEqualTo(2);
        assertThat(second.getJsonNumber("seconds_done").longValue()).isZero();
        assertThat(second.getBoolean("is_focusing")).isFalse();
        assertThat(second.getInt("target_minutes")).isEqualTo(1);

        // a running session's seconds grow between two reads (the suite's runaway guard stops it after 3 s)
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(board(owner, id).get(0).getJsonNumber("seconds_done").longValue())
                        .isGreaterThan(first.getJsonNumber("seconds_done").longValue()));

        // goal_met flips at target × 60: 3 minutes
        Reply paused = Focus.act(member, session, "pause");
        assertThat(paused.status()).as("paused now, or by the runaway guard already").isIn(200, 409);
        Focus.log(member, session, t0.minusSeconds(160), t0.minusSeconds(99));
        assertThat(board(owner, id).get(0).getBoolean("goal_met")).isTrue();
        assertProblem(User.random().api().get("/api/groups/" + id + "/progress/current"), 404);
    }

    @Test
    void onlyCurrentMembersSeeTheLeaderboard() {
        User owner = User.random();
        User member = User.random();
        String id = Fixtures.group(owner).getString("id");
        Fixtures.member(owner, id, member, "member");
        assertThat(board(member, id)).hasSize(2);

        // who left, who never joined, and a group that does not exist: the same 404
        Reply left = member.api().delete("/api/groups/" + id + "/members/" + Fixtures.profileOf(member));
        assertThat(left.status()).as(left.toString()).isIn(200, 204);
        assertProblem(member.api().get("/api/groups/" + id + "/progress/current"), 404);
        assertProblem(User.random().api().get("/api/groups/" + id + "/progress/current"), 404);
        assertProblem(owner.api().get("/api/groups/" + java.util.UUID.randomUUID() + "/progress/current"), 404);
        assertThat(board(owner, id)).hasSize(1);
        assertProblem(Api.anonymous().get("/api/groups/" + id + "/progress/current"), 401);
    }

    @Test
    void aLogCrossingThePeriodStartCountsOnlyItsPartInside() throws Exception {
        User owner = User.random();
        ZoneId zone = Fixtures.zoneAwayFromMidnight();
        String id = group(owner, zone.getId(), "daily", 600, Instant.now().minus(Duration.ofDays(3)));
        Instant midnight = LocalDate.now(zone).atStartOfDay(zone).toInstant();

        // focused from an hour before midnight until an hour after: one log across the boundary
        String session = Focus.pausedSince(owner, id, midnight.minus(Duration.ofHours(1)));
        Focus.log(owner, session, midnight.minus(Duration.ofHours(1)), midnight.plus(Duration.ofHours(1)));

        JsonObject me = board(owner, id).get(0);
        assertThat(Instant.parse(me.getString("period_start"))).isEqualTo(midnight);
        assertThat(Instant.parse(me.getString("period_end"))).isEqualTo(LocalDate.now(zone).plusDays(1).atStartOfDay(zone).toInstant());
        assertThat(me.getJsonNumber("seconds_done").longValue()).as("only the hour inside").isEqualTo(3600);
        assertThat(me.getBoolean("is_focusing")).isFalse();
    }

    @Test
    void periodsStartAtLocalMidnightFarFromUtcAndOnMondayForWeeks() {
        User owner = User.random();
        Instant start = Instant.now().minus(Duration.ofDays(20));
        for (String zoneName : List.of("Pacific/Kiritimati", "America/Los_Angeles", "Asia/Kolkata")) {
            ZoneId zone = ZoneId.of(zoneName);
            String daily = group(owner, zoneName, "daily", 30, start);
            JsonObject entry = board(owner, daily).get(0);
            ZonedDateTime localStart = Instant.parse(entry.getString("period_start")).atZone(zone);
            assertThat(localStart.toLocalTime()).as(zoneName).isEqualTo(java.time.LocalTime.MIDNIGHT);
            assertThat(localStart.toLocalDate()).as(zoneName).isEqualTo(LocalDate.now(zone));

            String weekly = group(owner, zoneName, "weekly", 300, start);
            ZonedDateTime weekStart = Instant.parse(board(owner, weekly).get(0).getString("period_start")).atZone(zone);
            assertThat(weekStart.getDayOfWeek()).as(zoneName).isEqualTo(java.time.DayOfWeek.MONDAY);
            assertThat(weekStart.toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
            assertThat(Duration.between(weekStart, Instant.parse(board(owner, weekly).get(0).getString("period_end")).atZone(zone)))
                    .isBetween(Duration.ofHours(167), Duration.ofHours(169));
        }
    }

    @Test
    void aNewGroupsFirstPeriodIsCutAtItsStart() {
        User owner = User.random();
        Instant start = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
        String id = group(owner, "UTC", "daily", 30, start);
        JsonObject entry = board(owner, id).get(0);
        Instant periodStart = Instant.parse(entry.getString("period_start"));
        Instant utcMidnight = Instant.now().truncatedTo(ChronoUnit.DAYS);
        assertThat(periodStart).isEqualTo(start.isAfter(utcMidnight) ? start : utcMidnight);
    }

    @Test
    void meetingTheGoalNotifiesEveryMemberOnce() throws Exception {
        User owner = User.random();
        User member = User.random();
        String id = group(owner, Fixtures.zoneAwayFromMidnight().getId(), "daily", 1, Instant.now().minus(Duration.ofDays(1)));
        Fixtures.member(owner, id, member, "member");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        String ownerSession = Focus.pausedSince(owner, id, t0.minusSeconds(200));
        Focus.log(owner, ownerSession, t0.minusSeconds(190), t0.minusSeconds(100));
        Focus.ok(Focus.act(owner, ownerSession, "resume"));
        Focus.ok(Focus.act(owner, ownerSession, "pause"));
        Focus.ok(Focus.act(owner, ownerSession, "stop"));

        List<Map<String, Object>> memberMilestones = SQL.rows("select recipient_id, subject_id from notifications "
                + "where group_id = ?::uuid and kind = 'milestone_member'", id);
        assertThat(memberMilestones).as("one per member, about the owner, however many logs followed").hasSize(2)
                .allSatisfy(row -> assertThat(row.get("subject_id").toString()).isEqualTo(Fixtures.profileOf(owner)));
        assertThat(SQL.count("select count(*) from notifications where group_id = ?::uuid and kind = 'milestone_group'", id)).isZero();
        assertThat(member.api().get("/api/notifications").jsonArray().getValuesAs(JsonObject.class))
                .anySatisfy(n -> assertThat(n.getString("kind")).isEqualTo("milestone_member"));

        String memberSession = Focus.pausedSince(member, id, t0.minusSeconds(200));
        Focus.log(member, memberSession, t0.minusSeconds(190), t0.minusSeconds(115));
        Focus.ok(Focus.act(member, memberSession, "stop"));

        assertThat(SQL.count("select count(*) from notifications where group_id = ?::uuid and kind = 'milestone_member'", id)).isEqualTo(4);
        assertThat(SQL.count("select count(*) from notifications where group_id = ?::uuid and kind = 'milestone_group'", id))
                .as("everyone made it: one for each member").isEqualTo(2);
    }

    /** An owner and a member of a daily group with a 10-hour goal, and the second they were made in. */
    private record Pair(User owner, User member, String groupId, Instant t0) {

        static Pair make() {
            User owner = User.random();
            User member = User.random();
            String id = group(owner, Fixtures.zoneAwayFromMidnight().getId(), "daily", 600, Instant.now().minus(Duration.ofDays(1)));
            Fixtures.member(owner, id, member, "member");
            return new Pair(owner, member, id, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }

        /** The member's seconds_done on the board as {@code reader} reads it now. */
        long memberSecondsSeenBy(User reader) {
            return memberSecondsSeenBy(reader.api());
        }

        /** The same, read by a client that does not know of the test's last write (it echoes no LockIN-Read-After). */
        long memberSecondsSeenUnawareBy(User reader) {
            return memberSecondsSeenBy(reader.api().withoutReadAfter());
        }

        private long memberSecondsSeenBy(Api reader) {
            String memberId = Fixtures.profileOf(member);
            return board(reader, groupId).stream().filter(e -> e.getString("user_id").equals(memberId)).findFirst().orElseThrow()
                    .getJsonNumber("seconds_done").longValue();
        }
    }

    /**
     * The board is read once for all its readers of a moment and served
     * again while under a second old and unchanged: the writer's very next
     * read shows their write, every other reader's within the second.
     */
    @Test
    void theWritersNextReadShowsTheirWriteAndEveryoneElsesWithinASecond() throws Exception {
        Pair p = Pair.make();
        String session = Focus.pausedSince(p.member(), p.groupId(), p.t0().minusSeconds(1_000));
        long before = p.memberSecondsSeenBy(p.member());
        assertThat(p.memberSecondsSeenBy(p.owner())).isEqualTo(before);

        for (int i = 1; i <= 10; i++) {
            // another reader keeps the board warm between the writes
            board(p.owner(), p.groupId());
            Instant from = p.t0().minusSeconds(1_000 - 60L * i);
            Focus.log(p.member(), session, from, from.plusSeconds(30));
            assertThat(p.memberSecondsSeenBy(p.member())).as("the writer's next read after write %d", i)
                    .isEqualTo(before + 30L * i);
        }
        long written = before + 300;
        Instant asked = Instant.now();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(p.memberSecondsSeenBy(p.owner())).isEqualTo(written));
        assertThat(Duration.between(asked, Instant.now())).as("another reader's wait").isLessThan(Duration.ofMillis(1_500));

        // a change made past the API (an operator, another instance) reaches every reader within the second too
        SQL.update("update profiles set display_name = 'Renamed by SQL' where id = ?::uuid", Fixtures.profileOf(p.member()));
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(board(p.owner(), p.groupId())).anySatisfy(e -> assertThat(e.getString("display_name")).isEqualTo("Renamed by SQL")));
    }

    /**
     * While the database's messages are late (its backend that sends them to
     * this instance held still, as a slow network would), a board is served
     * for at most its second, and a writer still sees their own write at once.
     */
    @Test
    void whenTheDatabasesMessagesAreLateABoardLastsItsSecondAndTheWriterStillSeesTheirWrite() throws Exception {
        Pair p = Pair.make();
        String session = Focus.pausedSince(p.member(), p.groupId(), p.t0().minusSeconds(500));
        long before = p.memberSecondsSeenBy(p.member());

        String listener = String.valueOf(SQL.value("select pid from pg_stat_activity where application_name = 'lockin-live'"));
        signal("STOP", listener);
        try {
            long read = System.nanoTime();
            assertThat(p.memberSecondsSeenBy(p.owner())).isEqualTo(before);
            Focus.log(p.member(), session, p.t0().minusSeconds(400), p.t0().minusSeconds(340));
            long owners = p.memberSecondsSeenUnawareBy(p.owner());
            if (Duration.ofNanos(System.nanoTime() - read).compareTo(Duration.ofMillis(800)) < 0) {
                assertThat(owners).as("another reader within the second: the board read before the write, unheard of")
                        .isEqualTo(before);
            }
            assertThat(p.memberSecondsSeenBy(p.member())).as("the writer's next read").isEqualTo(before + 60);
            assertThat(p.memberSecondsSeenBy(p.owner())).as("the writer's read is everyone's").isEqualTo(before + 60);

            // the board of a write nobody here made (another instance's, an operator's) lasts its second
            SQL.update("update group_members set override_period_target_minutes = 7 where group_id = ?::uuid and user_id = ?::uuid",
                    p.groupId(), Fixtures.profileOf(p.member()));
            await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(board(p.owner(), p.groupId())).anySatisfy(e -> assertThat(e.getInt("target_minutes")).isEqualTo(7)));
        } finally {
            signal("CONT", listener);
        }
    }

    private static void signal(String name, String pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, pid).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %s", name, pid).isZero();
    }
}
