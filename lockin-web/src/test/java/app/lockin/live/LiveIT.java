package app.lockin.live;

import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.EventStream;
import app.lockin.testing.EventStream.Event;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * The live group over Server-Sent Events, with a real SSE client: the board
 * stream of a group, the caller's own stream, and who is focusing now.
 */
@LockinServer
class LiveIT {

    private static final Sql SQL = TestEnvironment.sql();
    private static final Duration SOON = Duration.ofSeconds(5);

    private static String boardPath(String groupId) {
        return "/api/groups/" + groupId + "/progress/stream";
    }

    private static JsonObject entryOf(JsonArray board, String profileId) {
        return board.getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("user_id").equals(profileId)).findFirst().orElseThrow();
    }

    private static long secondsOf(JsonArray board, String profileId) {
        return entryOf(board, profileId).getJsonNumber("seconds_done").longValue();
    }

    /** A group whose day is away from midnight in its zone, so recent logs fall in today's period. */
    private static String groupOf(User owner) {
        String zone = Fixtures.zoneAwayFromMidnight().getId();
        Instant start = Instant.now().minus(Duration.ofDays(2));
        Reply created = owner.api().post("/api/groups", "{\"name\": \"Live\", \"start_at\": \"" + start + "\", \"end_at\": \""
                + start.plus(Duration.ofDays(30)) + "\", \"timezone\": \"" + zone
                + "\", \"period\": \"daily\", \"period_target_minutes\": 60}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getString("id");
    }

    @Test
    void theFirstEventIsTheBoardAndAReconnectGetsItAgain() {
        Crew crew = Fixtures.crew();
        try (EventStream stream = EventStream.open(crew.member(), boardPath(crew.groupId()))) {
            Event first = stream.next(SOON);
            assertThat(first.name()).isEqualTo("leaderboard");
            assertThat(first.id()).isNotBlank();
            assertThat(first.board()).hasSize(3);
            assertThat(first.board().getJsonObject(0).keySet()).containsExactlyInAnyOrder("user_id", "display_name",
                    "avatar_url", "seconds_done", "seconds_declared", "target_minutes", "goal_met", "period_start",
                    "period_end", "rank", "is_focusing", "streak", "best_streak", "hidden", "former_member");
            Reply current = crew.member().api().get("/api/groups/" + crew.groupId() + "/progress/current");
            assertThat(first.board()).isEqualTo(current.jsonArray());

            try (EventStream again = EventStream.open(crew.member(), boardPath(crew.groupId()), "Last-Event-ID", first.id())) {
                Event board = again.next(SOON);
                assertThat(board.name()).isEqualTo("leaderboard");
                assertThat(board.board()).isEqualTo(first.board());
                assertThat(board.id()).isNotEqualTo(first.id());
            }
        }
    }

    @Test
    void aLogByAnotherMemberArrivesWithinASecond() {
        User owner = User.random();
        User member = User.random();
        String groupId = groupOf(owner);
        Fixtures.member(owner, groupId, member, "member");
        String memberId = Fixtures.profileOf(member);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(member, groupId, t0.minusSeconds(600));
        try (EventStream stream = EventStream.open(owner, boardPath(groupId))) {
            long before = secondsOf(stream.next("leaderboard", SOON).board(), memberId);
            Focus.log(member, session, t0.minusSeconds(500), t0.minusSeconds(380));
            Instant committed = Instant.now();

            Event board = stream.next(e -> e.name().equals("leaderboard") && secondsOf(e.board(), memberId) == before + 120,
                    SOON);

            assertThat(Duration.between(committed, board.receivedAt())).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void aBurstOfChangesIsCoalescedToAtMostFourBoardsASecond() {
        User owner = User.random();
        String groupId = groupOf(owner);
        String ownerId = Fixtures.profileOf(owner);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(owner, groupId, t0.minusSeconds(3600));
        try (EventStream stream = EventStream.open(owner, boardPath(groupId))) {
            stream.next("leaderboard", SOON);
            for (int i = 0; i < 12; i++) {
                Focus.log(owner, session, t0.minusSeconds(3000 - i * 100L), t0.minusSeconds(2990 - i * 100L));
            }
            stream.next(e -> e.name().equals("leaderboard") && secondsOf(e.board(), ownerId) == 120, SOON);
            // a message that arrives after a board already showed its change may bring the same board again
            assertThat(stream.during(Duration.ofMillis(600))).filteredOn(e -> e.name().equals("leaderboard"))
                    .allMatch(e -> secondsOf(e.board(), ownerId) == 120).hasSizeLessThanOrEqualTo(1);
        }
        try (EventStream stream = EventStream.open(owner, boardPath(groupId))) {
            stream.next("leaderboard", SOON);
            Instant from = Instant.now();
            for (int i = 0; i < 20; i++) {
                Focus.log(owner, session, t0.minusSeconds(1500 - i * 50L), t0.minusSeconds(1495 - i * 50L));
            }
            List<Event> boards = stream.during(Duration.ofMillis(1500)).stream()
                    .filter(e -> e.name().equals("leaderboard")).toList();
            for (Event e : boards) {
                long inTheSecond = boards.stream().filter(o -> !o.receivedAt().isBefore(e.receivedAt())
                        && o.receivedAt().isBefore(e.receivedAt().plusSeconds(1))).count();
                assertThat(inTheSecond).as("boards in the second from " + e.receivedAt() + " (writes from " + from + ")")
                        .isLessThanOrEqualTo(5);
            }
            assertThat(secondsOf(boards.get(boards.size() - 1).board(), ownerId)).isEqualTo(120 + 20 * 5);
        }
    }

    @Test
    void aRolledBackWriteNeverArrives() throws Exception {
        Crew crew = Fixtures.crew();
        String memberId = Fixtures.profileOf(crew.member());
        try (EventStream stream = EventStream.open(crew.owner(), boardPath(crew.groupId()))) {
            stream.next("leaderboard", SOON);
            try (Connection c = SQL.connect()) {
                c.setAutoCommit(false);
                Sql.prepare(c, "update group_members set override_period_target_minutes = 7 where group_id = ?::uuid and user_id = ?::uuid",
                        crew.groupId(), memberId).executeUpdate();
                c.rollback();
            }
            assertThat(stream.during(Duration.ofSeconds(1))).filteredOn(e -> e.name().equals("leaderboard"))
                    .noneMatch(e -> entryOf(e.board(), memberId).getInt("target_minutes") == 7);

            SQL.update("update group_members set override_period_target_minutes = 9 where group_id = ?::uuid and user_id = ?::uuid",
                    crew.groupId(), memberId);
            Event board = stream.next(e -> e.name().equals("leaderboard")
                    && entryOf(e.board(), memberId).getInt("target_minutes") != 60, SOON);
            assertThat(entryOf(board.board(), memberId).getInt("target_minutes")).isEqualTo(9);
        }
    }

    @Test
    void afterTheInstanceLosesTheDatabasesMessagesItsStreamsGetAFreshBoard() throws Exception {
        Crew crew = Fixtures.crew();
        String memberId = Fixtures.profileOf(crew.member());
        try (EventStream stream = EventStream.open(crew.owner(), boardPath(crew.groupId()))) {
            stream.next("leaderboard", SOON);
            assertThat(SQL.count("select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = 'lockin-live'"))
                    .as("the instance's listening connection, cut").isEqualTo(1);
            SQL.update("update group_members set override_period_target_minutes = 11 where group_id = ?::uuid and user_id = ?::uuid",
                    crew.groupId(), memberId);

            Event board = stream.next(e -> e.name().equals("leaderboard")
                    && entryOf(e.board(), memberId).getInt("target_minutes") == 11, Duration.ofSeconds(10));
            assertThat(board).isNotNull();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> SQL.count(
                "select count(*) from pg_stat_activity where application_name = 'lockin-live'") == 1);
    }

    @Test
    void aGoalCrossedWhileRunningFlipsWithinTwoSecondsAndWritesTheMilestoneOnce() throws Exception {
        User owner = User.random();
        User member = User.random();
        String groupId = groupOf(owner);
        Fixtures.member(owner, groupId, member, "member");
        String memberId = Fixtures.profileOf(member);
        SQL.update("update group_members set override_period_target_minutes = 1 where group_id = ?::uuid and user_id = ?::uuid",
                groupId, memberId);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(member, groupId, t0.minusSeconds(600));
        Focus.log(member, session, t0.minusSeconds(500), t0.minusSeconds(442)); // 58 s of the 60
        try (EventStream stream = EventStream.open(owner, boardPath(groupId))) {
            assertThat(entryOf(stream.next("leaderboard", SOON).board(), memberId).getBoolean("goal_met")).isFalse();

            Focus.ok(Focus.act(member, session, "resume"));
            Instant crossing = Instant.now().plusSeconds(2);

            // the milestone and the flipped board come in either order
            List<Event> seen = new ArrayList<>();
            Event flipped = stream.next(e -> {
                seen.add(e);
                return e.name().equals("leaderboard") && entryOf(e.board(), memberId).getBoolean("goal_met");
            }, Duration.ofSeconds(6));
            assertThat(Duration.between(crossing, flipped.receivedAt())).as("after the crossing").isLessThan(Duration.ofSeconds(2));
            await().atMost(SOON).until(() -> SQL.count("select count(*) from notifications where kind = 'milestone_member' "
                    + "and group_id = ?::uuid", groupId) == 2);
            Event milestone = seen.stream().filter(e -> e.name().equals("milestone")).findFirst()
                    .orElseGet(() -> stream.next("milestone", SOON));
            assertThat(milestone.object().getString("kind")).isEqualTo("milestone_member");
            assertThat(milestone.object().getString("group_id")).isEqualTo(groupId);

            // written while the clock still ran, not by the pause
            Reply paused = Focus.act(member, session, "pause");
            assertThat(paused.status()).as("paused, or by the runaway guard already: " + paused).isIn(200, 409);
            List<Map<String, Object>> written = SQL.rows("""
                    select n.created_at, (select max(l.ended_at) from time_logs l where l.user_id = n.subject_id
                                          and l.source = 'clock') as paused_at
                      from notifications n
                     where n.kind = 'milestone_member' and n.group_id = ?::uuid and n.subject_id = ?::uuid
                       and n.recipient_id = (select id from profiles where id = ?::uuid)
                    """, groupId, memberId, Fixtures.profileOf(owner));
            assertThat(written).as("one milestone for the owner").hasSize(1);
            assertThat(((java.sql.Timestamp) written.get(0).get("created_at")).toInstant())
                    .isBefore(((java.sql.Timestamp) written.get(0).get("paused_at")).toInstant());
            assertThat(SQL.count("select count(*) from notifications where kind = 'milestone_member' and group_id = ?::uuid",
                    groupId)).as("one for each of the two members").isEqualTo(2);
            assertThat(SQL.count("select count(*) from goal_checks where group_id = ?::uuid", groupId)).isZero();
        }
    }

    @Test
    void aRemovedMembersStreamEnds() {
        Crew crew = Fixtures.crew();
        try (EventStream stream = EventStream.open(crew.member(), boardPath(crew.groupId()))) {
            stream.next("leaderboard", SOON);
            assertThat(crew.owner().api().delete("/api/groups/" + crew.groupId() + "/members/"
                    + Fixtures.profileOf(crew.member())).status()).isEqualTo(204);

            Event end = stream.next("end", SOON);
            assertThat(end.object().getString("reason")).isEqualTo("not_a_member");
            assertThat(stream.next("closed", SOON)).isNotNull();
        }
    }

    @Test
    void anArchivedGroupsStreamsEnd() {
        Crew crew = Fixtures.crew();
        try (EventStream stream = EventStream.open(crew.admin(), boardPath(crew.groupId()))) {
            stream.next("leaderboard", SOON);
            Fixtures.archive(crew.owner(), crew.groupId());

            assertThat(stream.next("end", SOON).object().getString("reason")).isEqualTo("group_archived");
            assertThat(stream.next("closed", SOON)).isNotNull();
        }
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() {
        Crew crew = Fixtures.crew();
        // expired 57 s ago: passes for 3 s more (60 s of clock skew)
        String token = TestEnvironment.mint().accessToken(crew.member().subject(), crew.member().username(),
                Duration.ofSeconds(-57), List.of());
        try (EventStream stream = EventStream.openWithToken(token, boardPath(crew.groupId()))) {
            stream.next("leaderboard", SOON);
            assertThat(stream.next("end", Duration.ofSeconds(8)).object().getString("reason")).isEqualTo("token_expired");
        }
    }

    @Test
    void pingsArrive() {
        Crew crew = Fixtures.crew();
        try (EventStream stream = EventStream.open(crew.member(), boardPath(crew.groupId()))) {
            assertThat(stream.next(e -> e.name().equals("comment") && e.data().equals("ping"), Duration.ofSeconds(5)))
                    .isNotNull();
        }
    }

    @Test
    void unauthenticatedAndNonMembersAreRefusedBeforeTheStreamOpens() {
        Crew crew = Fixtures.crew();
        assertProblem(Api.anonymous().get(boardPath(crew.groupId()), "text/event-stream"), 401);
        assertProblem(User.random().api().get(boardPath(crew.groupId()), "text/event-stream"), 404);
        assertProblem(crew.member().api().get(boardPath(UUID.randomUUID().toString()), "text/event-stream"), 404);
        assertProblem(crew.member().api().get("/api/groups/not-a-uuid/progress/stream", "text/event-stream"), 404);
        assertProblem(Api.anonymous().get("/api/me/stream", "text/event-stream"), 401);
    }

    @Test
    void moreStreamsThanHttpThreadsStayOpenAndRequestsStillAnswer() {
        Crew crew = Fixtures.crew();
        List<EventStream> streams = new ArrayList<>();
        try {
            // twelve streams over two people: each person may hold ten open (LOCKIN_RATE_LIMITS)
            for (int i = 0; i < 12; i++) {
                EventStream s = EventStream.open(i % 2 == 0 ? crew.member() : crew.admin(), boardPath(crew.groupId()));
                s.next("leaderboard", SOON);
                streams.add(s);
            }
            assertThat(crew.member().api().get("/api/me").status()).isEqualTo(200);
            SQL.update("update groups set period_target_minutes = 61 where id = ?::uuid", crew.groupId());
            for (EventStream s : streams) {
                assertThat(s.next(e -> e.name().equals("leaderboard")
                        && e.board().getJsonObject(0).getInt("target_minutes") == 61, SOON)).isNotNull();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            streams.forEach(EventStream::close);
        }
    }

    @Test
    void pastItsLimitTheInstanceRefusesANewStreamBeforeItOpens() {
        Crew crew = Fixtures.crew();
        List<EventStream> streams = new ArrayList<>();
        try {
            EventStream.Attempt refused = null;
            // LOCKIN_MAX_STREAMS=40 in the suite (streams of other tests may still count); five streams a
            // member, well under each person's own limit of open streams (10)
            List<User> members = new ArrayList<>();
            for (int i = 0; i < 45 && refused == null; i++) {
                if (i % 5 == 0) {
                    members.add(User.random());
                    Fixtures.member(crew.owner(), crew.groupId(), members.get(members.size() - 1), "member");
                }
                EventStream.Attempt attempt = EventStream.attempt(members.get(members.size() - 1), boardPath(crew.groupId()));
                if (attempt.stream() != null) {
                    streams.add(attempt.stream());
                } else {
                    refused = attempt;
                }
            }
            assertThat(refused).as("refused within 45 streams").isNotNull();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("\"status\":503").contains("live streams");
            assertThat(streams.size()).isLessThanOrEqualTo(40);
            assertThat(gauge("lockin_streams_limit")).isEqualTo(40);
        } finally {
            streams.forEach(EventStream::close);
        }
        // closed streams are noticed at the next pings (LOCKIN_STREAM_PING=1s): the instance takes new ones again
        await().atMost(Duration.ofSeconds(15)).until(() -> openStreams() <= 5);
        try (EventStream again = EventStream.open(crew.member(), boardPath(crew.groupId()))) {
            assertThat(again.next("leaderboard", SOON)).isNotNull();
        }
    }

    /** The instance's gauge lockin_streams_open. */
    private static long openStreams() {
        return gauge("lockin_streams_open");
    }

    private static long gauge(String name) {
        Reply metrics = Api.anonymous().get("/metrics?scope=application", "text/plain");
        return metrics.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------ the caller's own stream

    @Test
    void myStreamTellsOfNewNotificationsAndPresence() {
        Crew crew = Fixtures.crew();
        User invitee = User.random();
        String groupId = Fixtures.group(crew.owner()).getString("id");
        try (EventStream mine = EventStream.open(invitee, "/api/me/stream");
                EventStream owners = EventStream.open(crew.owner(), "/api/me/stream")) {
            assertThat(mine.next(e -> e.name().equals("comment"), SOON).data()).isEqualTo("connected");
            owners.next(e -> e.name().equals("comment"), SOON);
            Reply invited = crew.owner().api().post("/api/groups/" + groupId + ":invite",
                    "{\"recipient_id\": \"" + Fixtures.profileOf(invitee) + "\"}");
            assertThat(invited.status()).as(invited.toString()).isEqualTo(201);

            JsonObject notification = mine.next("notification", SOON).object();
            assertThat(notification.getString("kind")).isEqualTo("group_invite");
            assertThat(notification.getString("id")).isEqualTo(invited.json().getString("id"));

            String session = Focus.session(crew.member(), crew.groupId());
            Focus.ok(Focus.act(crew.member(), session, "start"));
            JsonObject presence = owners.next("presence", SOON).object();
            assertThat(presence.getString("group_id")).isEqualTo(crew.groupId());
            assertThat(presence.getString("user_id")).isEqualTo(Fixtures.profileOf(crew.member()));
            assertThat(presence.getBoolean("is_focusing")).isTrue();
            assertThat(presence.getString("session_id")).isEqualTo(session);

            Reply focus = crew.owner().api().get("/api/me/focus");
            assertThat(focus.status()).as(focus.toString()).isEqualTo(200);
            JsonObject group = focus.jsonArray().getValuesAs(JsonObject.class).stream()
                    .filter(g -> g.getString("group_id").equals(crew.groupId())).findFirst().orElseThrow();
            assertThat(group.getJsonArray("focusing")).hasSize(1);
            assertThat(group.getJsonArray("focusing").getJsonObject(0).getString("session_id")).isEqualTo(session);
            assertThat(focus.jsonArray().getValuesAs(JsonObject.class)).anyMatch(g -> g.getString("group_id").equals(groupId)
                    && g.getJsonArray("focusing").isEmpty());

            Focus.ok(Focus.act(crew.member(), session, "stop"));
            JsonObject stopped = owners.next("presence", SOON).object();
            assertThat(stopped.getBoolean("is_focusing")).isFalse();
            assertThat(mine.during(Duration.ofMillis(300))).as("the invitee is in none of these groups")
                    .noneMatch(e -> e.name().equals("presence"));
        }
    }

    @Test
    void focusNeedsAToken() {
        assertProblem(Api.anonymous().get("/api/me/focus"), 401);
        assertThat(User.random().api().get("/api/me/focus").jsonArray()).isEmpty();
    }
}
