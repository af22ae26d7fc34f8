package app.lockin.progress;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Boards;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.PastTime;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * History and streaks: GET /api/groups/{id}/progress?at=, /history, the streaks
 * of the board and of members, and the per-member period totals behind them.
 * Past time is seeded straight into the database (sessions, participants and
 * logs at fixed instants: the API refuses logs older than the offline grace,
 * as it should); everything is read through the API.
 */
@LockinServer
class HistoryIT {

    private static final Sql SQL = TestEnvironment.sql();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    // ------------------------------------------------------------------ set-up

    /** A group of {@code owner}'s over [start, end) in the zone; the owner counts as a member since its start. */
    private static String group(User owner, ZoneId zone, String period, int target, Instant start, Instant end)
            throws Exception {
        Reply created = owner.api().post("/api/groups", "{\"name\": \"History\", \"start_at\": \"" + start
                + "\", \"end_at\": \"" + end + "\", \"timezone\": \"" + zone.getId() + "\", \"period\": \"" + period
                + "\", \"period_target_minutes\": " + target + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().getString("id");
        PastTime.joinedAt(id, owner, start);
        return id;
    }





    private static Instant local(LocalDate day, int hour, int minute, ZoneId zone) {
        return day.atTime(LocalTime.of(hour, minute)).atZone(zone).toInstant();
    }

    private static LocalDate today(ZoneId zone) {
        return LocalDate.now(zone);
    }

    // ------------------------------------------------------------------ reading



    private static JsonObject entryOf(List<JsonObject> board, User person) {
        String id = Fixtures.profileOf(person);
        return board.stream().filter(e -> e.getString("user_id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not on " + board));
    }

    private static List<JsonObject> history(User user, String groupId, String query) {
        Reply reply = user.api().get("/api/groups/" + groupId + "/history" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.jsonArray().getValuesAs(JsonObject.class);
    }

    private static JsonObject periodOf(List<JsonObject> history, Instant start) {
        return history.stream().filter(p -> Instant.parse(p.getString("period_start")).equals(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no period starting " + start + " in " + history));
    }

    private static long secondsOf(JsonObject period, User person) {
        String id = Fixtures.profileOf(person);
        return period.getJsonArray("entries").getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("user_id").equals(id)).findFirst()
                .map(e -> e.getJsonNumber("seconds_done").longValue()).orElseThrow();
    }

    private static JsonObject stats(User user, String query) {
        Reply reply = user.api().get("/api/me/stats" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static long dayOf(JsonObject stats, LocalDate day) {
        return stats.getJsonArray("days").getValuesAs(JsonObject.class).stream()
                .filter(d -> d.getString("date").equals(day.toString())).findFirst()
                .map(d -> d.getJsonNumber("seconds").longValue()).orElseThrow();
    }

    // ------------------------------------------------------------------ past boards

    @Test
    void aPastBoardIsThePeriodAsItEndedAndTheCurrentOneIsTheLiveBoard() throws Exception {
        User owner = User.random();
        User member = User.random();
        LocalDate today = today(PARIS);
        String id = group(owner, PARIS, "daily", 30, local(today.minusDays(10), 0, 0, PARIS),
                Instant.now().plus(Duration.ofDays(20)));
        PastTime.join(owner, id, member, local(today.minusDays(10), 0, 0, PARIS));
        LocalDate day = today.minusDays(3);
        PastTime.logged(id, owner, local(day, 9, 0, PARIS), local(day, 9, 40, PARIS));   // 40 min: met
        PastTime.logged(id, member, local(day, 10, 0, PARIS), local(day, 10, 20, PARIS)); // 20 min: not met
        PastTime.logged(id, member, local(day.minusDays(1), 10, 0, PARIS), local(day.minusDays(1), 11, 0, PARIS));

        List<JsonObject> board = Boards.at(member, id, local(day, 15, 0, PARIS));

        assertThat(board).hasSize(2);
        JsonObject first = board.get(0);
        assertThat(first.keySet()).containsExactlyInAnyOrder("user_id", "display_name", "avatar_url", "seconds_done",
                "seconds_declared", "target_minutes", "goal_met", "period_start", "period_end", "rank", "is_focusing", "streak",
                "best_streak", "hidden", "former_member");
        assertThat(first.getString("user_id")).isEqualTo(Fixtures.profileOf(owner));
        assertThat(first.getJsonNumber("seconds_done").longValue()).isEqualTo(2400);
        assertThat(first.getBoolean("goal_met")).isTrue();
        assertThat(first.getInt("rank")).isEqualTo(1);
        assertThat(first.getInt("streak")).isEqualTo(1);
        assertThat(Instant.parse(first.getString("period_start"))).isEqualTo(local(day, 0, 0, PARIS));
        assertThat(Instant.parse(first.getString("period_end"))).isEqualTo(local(day.plusDays(1), 0, 0, PARIS));
        JsonObject second = board.get(1);
        assertThat(second.getJsonNumber("seconds_done").longValue()).isEqualTo(1200);
        assertThat(second.getBoolean("goal_met")).isFalse();
        assertThat(second.getInt("streak")).as("met the day before; this day not (yet, as it ran)").isEqualTo(1);
        assertThat(second.getInt("best_streak")).isEqualTo(1);

        // any instant of the period reads the same board
        assertThat(Boards.at(owner, id, local(day, 0, 0, PARIS))).isEqualTo(board);
        assertThat(Boards.at(owner, id, local(day.plusDays(1), 0, 0, PARIS).minusMillis(1))).isEqualTo(board);
        // the current period's board is the live one
        assertThat(Boards.at(owner, id, Instant.now())).isEqualTo(Boards.current(owner, id));
    }

    @Test
    void membersWhoLeaveOrAreRemovedStayOnPastBoardsAsFormerMembersAndLeaveTheCurrentOne() throws Exception {
        User owner = User.random();
        User leaver = User.random();
        User removed = User.random();
        User stays = User.random();
        LocalDate today = today(PARIS);
        String id = group(owner, PARIS, "daily", 30, local(today.minusDays(5), 0, 0, PARIS), Instant.now().plus(Duration.ofDays(5)));
        for (User person : List.of(leaver, removed, stays)) {
            PastTime.join(owner, id, person, local(today.minusDays(5), 0, 0, PARIS));
        }
        LocalDate day = today.minusDays(2);
        PastTime.logged(id, leaver, local(day, 9, 0, PARIS), local(day, 9, 50, PARIS));     // 50 min, met
        PastTime.logged(id, removed, local(day, 10, 0, PARIS), local(day, 10, 40, PARIS));  // 40 min, met, hides
        PastTime.logged(id, stays, local(day, 11, 0, PARIS), local(day, 11, 10, PARIS));    // 10 min
        assertThat(removed.api().patch("/api/groups/" + id + "/members/" + Fixtures.profileOf(removed),
                "{\"hidden_from_leaderboard\": true}").status()).isEqualTo(200);
        Instant noon = local(day, 12, 0, PARIS);
        List<JsonObject> before = Boards.at(owner, id, noon);
        JsonObject periodBefore = periodOf(history(owner, id, ""), local(day, 0, 0, PARIS));

        assertThat(leaver.api().delete("/api/groups/" + id + "/members/" + Fixtures.profileOf(leaver)).status()).isEqualTo(204);
        assertThat(owner.api().delete("/api/groups/" + id + "/members/" + Fixtures.profileOf(removed)).status()).isEqualTo(204);

        List<JsonObject> after = Boards.at(owner, id, noon);
        assertThat(after).hasSize(4);
        for (JsonObject entry : before) {
            JsonObject now = entryWithId(after, entry.getString("user_id"));
            assertThat(now.getJsonNumber("seconds_done")).isEqualTo(entry.getJsonNumber("seconds_done"));
            assertThat(now.getInt("rank")).isEqualTo(entry.getInt("rank"));
            assertThat(now.getBoolean("goal_met")).isEqualTo(entry.getBoolean("goal_met"));
            assertThat(now.getInt("streak")).isEqualTo(entry.getInt("streak"));
            assertThat(now.getBoolean("hidden")).isEqualTo(entry.getBoolean("hidden"));
        }
        assertThat(entryWithId(after, Fixtures.profileOf(leaver)).getBoolean("former_member")).isTrue();
        assertThat(entryWithId(after, Fixtures.profileOf(leaver)).getString("display_name")).isEqualTo(leaver.username());
        assertThat(entryWithId(after, Fixtures.profileOf(removed)).getBoolean("former_member")).isTrue();
        assertThat(entryWithId(after, Fixtures.profileOf(stays)).getBoolean("former_member")).isFalse();
        assertThat(Boards.at(stays, id, noon)).as("a former member who hid stays hidden to plain members")
                .extracting(e -> e.getString("user_id"))
                .containsExactly(Fixtures.profileOf(leaver), Fixtures.profileOf(stays), Fixtures.profileOf(owner));

        JsonObject period = periodOf(history(owner, id, ""), local(day, 0, 0, PARIS));
        assertThat(period.getInt("member_count")).isEqualTo(periodBefore.getInt("member_count")).isEqualTo(4);
        assertThat(period.getInt("members_met")).isEqualTo(periodBefore.getInt("members_met")).isEqualTo(2);
        assertThat(secondsOf(period, leaver)).isEqualTo(3000);
        assertThat(period.getJsonArray("entries").getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("user_id").equals(Fixtures.profileOf(leaver))).findFirst().orElseThrow()
                .getBoolean("former_member")).isTrue();
        assertThat(periodOf(history(stays, id, ""), local(day, 0, 0, PARIS)).getJsonArray("entries").getValuesAs(JsonObject.class))
                .as("hidden in history too").extracting(e -> e.getString("user_id")).doesNotContain(Fixtures.profileOf(removed));

        assertThat(Boards.current(owner, id)).as("the current board lists members only").extracting(e -> e.getString("user_id"))
                .containsExactlyInAnyOrder(Fixtures.profileOf(owner), Fixtures.profileOf(stays));
    }

    private static JsonObject entryWithId(List<JsonObject> board, String id) {
        return board.stream().filter(e -> e.getString("user_id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not on " + board));
    }

    @Test
    void theCurrentBoardDuringAPeriodIsWhatItsPastBoardShowsLater() throws Exception {
        User owner = User.random();
        User member = User.random();
        ZoneId zone = Fixtures.zoneAwayFromMidnight();
        String id = group(owner, zone, "daily", 1, Instant.now().minus(Duration.ofDays(3)), Instant.now().plus(Duration.ofDays(3)));
        PastTime.join(owner, id, member, Instant.now().minus(Duration.ofDays(3)));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(member, id, t0.minusSeconds(200));
        Focus.log(member, session, t0.minusSeconds(190), t0.minusSeconds(100));
        List<JsonObject> live = Boards.current(owner, id);

        // the same period read as a past one (nothing is running: its end changes nothing)
        List<JsonObject> read = Boards.at(owner, id, t0.minusSeconds(150));
        assertThat(read).isEqualTo(live);
        assertThat(entryOf(read, member).getJsonNumber("seconds_done").longValue()).isEqualTo(90);
        assertThat(entryOf(read, member).getBoolean("goal_met")).isTrue();
        assertThat(entryOf(read, member).getInt("streak")).as("today's goal met: the streak grows at once").isEqualTo(1);
    }

    @Test
    void membersWhoJoinedLaterAreNotOnEarlierBoardsAndTheirStreakStartsWhenTheyJoined() throws Exception {
        User owner = User.random();
        User late = User.random();
        LocalDate today = today(PARIS);
        String id = group(owner, PARIS, "daily", 30, local(today.minusDays(8), 0, 0, PARIS), Instant.now().plus(Duration.ofDays(5)));
        PastTime.join(owner, id, late, local(today.minusDays(4), 18, 0, PARIS));
        for (int d = 1; d <= 4; d++) {   // the late member met every day since they joined, the day of joining included
            PastTime.logged(id, late, local(today.minusDays(d), 20, 0, PARIS), local(today.minusDays(d), 21, 0, PARIS));
        }
        PastTime.logged(id, owner, local(today.minusDays(7), 8, 0, PARIS), local(today.minusDays(7), 9, 0, PARIS));

        assertThat(Boards.at(owner, id, local(today.minusDays(6), 12, 0, PARIS))).hasSize(1);
        assertThat(Boards.at(owner, id, local(today.minusDays(4), 12, 0, PARIS))).as("joined that day").hasSize(2);
        JsonObject now = entryOf(Boards.current(owner, id), late);
        assertThat(now.getInt("streak")).isEqualTo(4);
        assertThat(now.getInt("best_streak")).isEqualTo(4);
        JsonObject ownerNow = entryOf(Boards.current(owner, id), owner);
        assertThat(ownerNow.getInt("streak")).as("met a week ago only").isZero();
        assertThat(ownerNow.getInt("best_streak")).isEqualTo(1);

        // the members list shows the board's streaks
        Reply members = owner.api().get("/api/groups/" + id + "/members");
        JsonObject listed = members.jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(m -> m.getString("user_id").equals(Fixtures.profileOf(late))).findFirst().orElseThrow();
        assertThat(listed.getInt("streak")).isEqualTo(4);
        assertThat(listed.getInt("best_streak")).isEqualTo(4);
    }

    @Test
    void aMissedDayResetsTheStreakAndTheBestIsKept() throws Exception {
        User owner = User.random();
        LocalDate today = today(PARIS);
        String id = group(owner, PARIS, "daily", 30, local(today.minusDays(12), 0, 0, PARIS), Instant.now().plus(Duration.ofDays(5)));
        for (int d : new int[] {10, 9, 8, 7, 5, 4, 1}) {   // days 6, 3 and 2 missed
            PastTime.logged(id, owner, local(today.minusDays(d), 12, 0, PARIS), local(today.minusDays(d), 12, 45, PARIS));
        }
        PastTime.logged(id, owner, local(today.minusDays(3), 12, 0, PARIS), local(today.minusDays(3), 12, 10, PARIS)); // 10 min: short

        assertThat(entryOf(Boards.at(owner, id, local(today.minusDays(7), 23, 0, PARIS)), owner).getInt("streak")).isEqualTo(4);
        // a day's board shows the run as it stood while the day ran: not broken until the day ended
        assertThat(entryOf(Boards.at(owner, id, local(today.minusDays(6), 23, 0, PARIS)), owner).getInt("streak")).isEqualTo(4);
        assertThat(entryOf(Boards.at(owner, id, local(today.minusDays(5), 23, 0, PARIS)), owner).getInt("streak")).isEqualTo(1);
        assertThat(entryOf(Boards.at(owner, id, local(today.minusDays(4), 23, 0, PARIS)), owner).getInt("streak")).isEqualTo(2);
        assertThat(entryOf(Boards.at(owner, id, local(today.minusDays(2), 23, 0, PARIS)), owner).getInt("streak"))
                .as("the short day broke it").isZero();
        JsonObject now = entryOf(Boards.current(owner, id), owner);
        assertThat(now.getInt("streak")).isEqualTo(1);
        assertThat(now.getInt("best_streak")).isEqualTo(4);
        assertTotalsAreWhatTheLogsSay(id);
    }

    // ------------------------------------------------------------------ time zones and DST

    @Test
    void streaksHoldAcrossTheTwentyThreeAndTwentyFiveHourDays() throws Exception {
        User owner = User.random();
        // 2026: Europe/Paris springs forward on Sunday 29 March (23 h) and falls back on Sunday 25 October (25 h)
        Instant start = local(LocalDate.of(2026, 3, 20), 0, 0, PARIS);
        // open until 2027-03-21 (366 days: a group's longest), when this test must move to the next year's changes
        String id = group(owner, PARIS, "daily", 60, start, start.plus(Duration.ofDays(366)));
        for (LocalDate d = LocalDate.of(2026, 3, 27); d.isBefore(LocalDate.of(2026, 4, 1)); d = d.plusDays(1)) {
            PastTime.logged(id, owner, local(d, 22, 0, PARIS), local(d, 23, 0, PARIS));   // 22:00-23:00 local: the last hour of each day
        }
        List<JsonObject> spring = Boards.at(owner, id, local(LocalDate.of(2026, 3, 29), 12, 0, PARIS));
        JsonObject shortDay = spring.get(0);
        assertThat(Duration.between(Instant.parse(shortDay.getString("period_start")), Instant.parse(shortDay.getString("period_end"))))
                .isEqualTo(Duration.ofHours(23));
        assertThat(shortDay.getJsonNumber("seconds_done").longValue()).isEqualTo(3600);
        assertThat(shortDay.getInt("streak")).isEqualTo(3);
        assertThat(entryOf(Boards.at(owner, id, local(LocalDate.of(2026, 3, 31), 12, 0, PARIS)), owner).getInt("streak")).isEqualTo(5);

        for (LocalDate d = LocalDate.of(2026, 10, 23); d.isBefore(LocalDate.of(2026, 10, 28)); d = d.plusDays(1)) {
            PastTime.logged(id, owner, local(d, 23, 0, PARIS), local(d, 23, 59, PARIS).plusSeconds(60));   // 23:00-24:00 local
        }
        JsonObject longDay = Boards.at(owner, id, local(LocalDate.of(2026, 10, 25), 12, 0, PARIS)).get(0);
        assertThat(Duration.between(Instant.parse(longDay.getString("period_start")), Instant.parse(longDay.getString("period_end"))))
                .isEqualTo(Duration.ofHours(25));
        assertThat(longDay.getJsonNumber("seconds_done").longValue()).as("23:00-24:00 local is inside the 25 h day").isEqualTo(3600);
        assertThat(longDay.getInt("streak")).isEqualTo(3);
        JsonObject after = entryOf(Boards.at(owner, id, local(LocalDate.of(2026, 10, 27), 12, 0, PARIS)), owner);
        assertThat(after.getInt("streak")).isEqualTo(5);
        assertThat(after.getInt("best_streak")).isEqualTo(5);
    }

    @Test
    void aSegmentStillRunningSinceYesterdayCountsForYesterdaysStreak() throws Exception {
        // the suite's runaway guard pauses such a segment (3 s cap) on its next tick (every 2 s): a board
        // read after the tick has nothing running to judge, so the scenario is set up anew (new people)
        for (int attempt = 1; ; attempt++) {
            ZoneId zone = zoneJustPastMidnight();
            LocalDate today = today(zone);
            User owner = User.random();
            User other = User.random();
            String id = group(owner, zone, "daily", 150, local(today.minusDays(5), 0, 0, zone), Instant.now().plus(Duration.ofDays(5)));
            PastTime.join(owner, id, other, local(today.minusDays(5), 0, 0, zone));
            // the owner: the day before yesterday met by a log; yesterday only by the segment still running since 21:00
            PastTime.logged(id, owner, local(today.minusDays(2), 10, 0, zone), local(today.minusDays(2), 12, 30, zone));
            // the other: the day before yesterday missed; yesterday 1 h logged and 2 h of the segment running since 22:00
            PastTime.logged(id, other, local(today.minusDays(2), 10, 0, zone), local(today.minusDays(2), 11, 0, zone));
            PastTime.logged(id, other, local(today.minusDays(1), 10, 0, zone), local(today.minusDays(1), 11, 0, zone));
            Focus.ok(Focus.actAt(owner, Focus.session(owner, id), "start", local(today.minusDays(1), 21, 0, zone)));
            Focus.ok(Focus.actAt(other, Focus.session(other, id), "start", local(today.minusDays(1), 22, 0, zone)));

            List<JsonObject> board = Boards.current(owner, id);
            JsonObject mine = entryOf(board, owner);
            JsonObject theirs = entryOf(board, other);
            if (!(mine.getBoolean("is_focusing") && theirs.getBoolean("is_focusing")) && attempt < 3) {
                continue;   // the guard's tick came between the starts and the read
            }
            assertThat(mine.getBoolean("is_focusing")).isTrue();
            assertThat(mine.getBoolean("goal_met")).as("under 2 h 30 of today so far").isFalse();
            assertThat(mine.getInt("streak")).as("yesterday met by the running segment, the day before by its log").isEqualTo(2);
            assertThat(mine.getInt("best_streak")).isEqualTo(2);
            assertThat(theirs.getBoolean("is_focusing")).isTrue();
            assertThat(theirs.getInt("streak")).as("yesterday met by its log and the running segment together").isEqualTo(1);
            assertThat(theirs.getInt("best_streak")).isEqualTo(1);
            return;
        }
    }

    /** A fixed-offset zone whose local time is now between 01:00 and 02:00: today has under 2 h so far. */
    private static ZoneId zoneJustPastMidnight() {
        int hour = Instant.now().atZone(ZoneOffset.UTC).getHour();
        int offset = 1 - hour >= -12 ? 1 - hour : 25 - hour;
        // IANA's Etc zones count the other way round (Etc/GMT-5 is UTC+5), in Java and in PostgreSQL alike
        return ZoneId.of(offset == 0 ? "Etc/GMT" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset));
    }

    /**
     * A weekly group's week across New Year, in Tokyo: the last New Year whose
     * weeks around it are in the past and within a group's 366 days of now
     * (none from about 15 December to 7 January, nor when 1 January is a
     * Monday and no week crosses it: the test is skipped then).
     */
    @Test
    void aWeeklyGroupsStreakCrossesTheYearBoundary() throws Exception {
        User owner = User.random();
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        LocalDate newYear = LocalDate.of(LocalDate.now(tokyo).getYear(), 1, 1);
        LocalDate crossing = newYear.minusDays(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        if (local(crossing.plusDays(8), 13, 0, tokyo).isAfter(Instant.now())) {   // the week after it is not over enough
            newYear = newYear.minusYears(1);
            crossing = newYear.minusDays(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        }
        // weeks: the group's first (nothing logged), the week before New Year's, New Year's, the one after: 3 h each
        LocalDate first = crossing.minusDays(14);
        Instant start = local(first, 0, 0, tokyo);
        Assumptions.assumeTrue(newYear.getDayOfWeek() != DayOfWeek.MONDAY
                        && start.plus(Duration.ofDays(366)).isAfter(Instant.now().plus(Duration.ofDays(1))),
                "no New Year within a weekly group's 366 days has its weeks around it in the past (" + newYear + ")");
        String id = group(owner, tokyo, "weekly", 120, start, start.plus(Duration.ofDays(366)));
        PastTime.logged(id, owner, local(crossing.minusDays(6), 9, 0, tokyo), local(crossing.minusDays(6), 12, 0, tokyo));
        PastTime.logged(id, owner, local(newYear.minusDays(1), 22, 30, tokyo), local(newYear, 1, 30, tokyo));
        PastTime.logged(id, owner, local(crossing.plusDays(8), 9, 0, tokyo), local(crossing.plusDays(8), 12, 0, tokyo));

        JsonObject week = Boards.at(owner, id, local(newYear.plusDays(1), 12, 0, tokyo)).get(0);
        assertThat(Instant.parse(week.getString("period_start"))).isEqualTo(local(crossing, 0, 0, tokyo));
        assertThat(Instant.parse(week.getString("period_end"))).isEqualTo(local(crossing.plusDays(7), 0, 0, tokyo));
        assertThat(week.getJsonNumber("seconds_done").longValue()).isEqualTo(3 * 3600);
        assertThat(week.getInt("streak")).isEqualTo(2);
        assertThat(Boards.at(owner, id, local(crossing.plusDays(9), 12, 0, tokyo)).get(0).getInt("streak")).isEqualTo(3);
        assertThat(Boards.at(owner, id, local(first.plusDays(2), 12, 0, tokyo)).get(0).getInt("streak"))
                .as("the first week: nothing logged").isZero();
    }

    @Test
    void aLogAcrossMidnightSplitsBetweenTwoDaysOfHistoryAndOfStats() throws Exception {
        User owner = User.random();
        LocalDate today = today(PARIS);
        String id = group(owner, PARIS, "daily", 40, local(today.minusDays(6), 0, 0, PARIS), Instant.now().plus(Duration.ofDays(5)));
        LocalDate day = today.minusDays(4);
        PastTime.logged(id, owner, local(day, 23, 30, PARIS), local(day.plusDays(1), 0, 45, PARIS));

        List<JsonObject> periods = history(owner, id, "");
        assertThat(secondsOf(periodOf(periods, local(day, 0, 0, PARIS)), owner)).isEqualTo(1800);
        assertThat(secondsOf(periodOf(periods, local(day.plusDays(1), 0, 0, PARIS)), owner)).isEqualTo(2700);
        assertThat(periodOf(periods, local(day.plusDays(1), 0, 0, PARIS)).getInt("members_met")).isEqualTo(1);
        assertThat(periodOf(periods, local(day, 0, 0, PARIS)).getInt("members_met")).isZero();

        JsonObject paris = stats(owner, "?from=" + day.minusDays(1) + "&to=" + day.plusDays(2) + "&timezone=Europe/Paris");
        assertThat(dayOf(paris, day)).isEqualTo(1800);
        assertThat(dayOf(paris, day.plusDays(1))).isEqualTo(2700);
        assertThat(paris.getJsonNumber("total_seconds").longValue()).isEqualTo(4500);
        assertThat(paris.getJsonObject("best_day").getString("date")).isEqualTo(day.plusDays(1).toString());
        assertThat(paris.getJsonArray("days")).hasSize(4);
        // the same log in another zone's days: Tokyo is 8 hours ahead, the whole log falls on the next day there
        JsonObject tokyo = stats(owner, "?from=" + day.minusDays(1) + "&to=" + day.plusDays(2) + "&timezone=Asia/Tokyo");
        assertThat(dayOf(tokyo, day.plusDays(1))).isEqualTo(4500);
        assertThat(dayOf(tokyo, day)).isZero();
    }

    // ------------------------------------------------------------------ history pages and finality

    @Test
    void pagesReturnEveryPeriodExactlyOnceNewestFirst() throws Exception {
        User owner = User.random();
        User member = User.random();
        LocalDate today = today(PARIS);
        Instant start = local(today.minusDays(30), 7, 0, PARIS);   // mid-day: the first period is cut at the start
        String id = group(owner, PARIS, "daily", 30, start, Instant.now().plus(Duration.ofDays(3)));
        PastTime.join(owner, id, member, start);
        PastTime.logged(id, member, local(today.minusDays(12), 8, 0, PARIS), local(today.minusDays(12), 9, 0, PARIS));

        List<Instant> starts = new ArrayList<>();
        Set<Instant> seen = new HashSet<>();
        String query = "?limit=7";
        int pages = 0;
        while (query != null) {
            Reply page = owner.api().get("/api/groups/" + id + "/history" + query);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            for (JsonObject period : page.jsonArray().getValuesAs(JsonObject.class)) {
                Instant s = Instant.parse(period.getString("period_start"));
                assertThat(seen.add(s)).as("period %s once", s).isTrue();
                starts.add(s);
            }
            query = page.header("Link").map(HistoryIT::nextQuery).orElse(null);
            pages++;
        }
        assertThat(starts).hasSize(31);
        assertThat(pages).isEqualTo(5);
        assertThat(starts.get(0)).isEqualTo(local(today, 0, 0, PARIS));
        assertThat(starts.get(starts.size() - 1)).as("the first period starts at the group's start").isEqualTo(start);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i)).isBefore(starts.get(i - 1));
        }

        List<JsonObject> first = history(owner, id, "?limit=3");
        JsonObject now = first.get(0);
        assertThat(now.keySet()).containsExactlyInAnyOrder("period_start", "period_end", "target_minutes", "member_count",
                "members_met", "group_goal_met", "final", "entries");
        assertThat(now.getBoolean("final")).isFalse();
        assertThat(now.getInt("member_count")).isEqualTo(2);
        assertThat(now.getInt("target_minutes")).isEqualTo(30);
        assertThat(now.getJsonArray("entries").getJsonObject(0).keySet())
                .containsExactlyInAnyOrder("user_id", "seconds_done", "seconds_declared", "goal_met", "hidden", "former_member");
        JsonObject old = periodOf(history(owner, id, "?limit=100"), local(today.minusDays(12), 0, 0, PARIS));
        assertThat(old.getBoolean("final")).isTrue();
        assertThat(old.getInt("members_met")).isEqualTo(1);
        assertThat(old.getBoolean("group_goal_met")).isFalse();
        assertThat(old.getJsonArray("entries").getJsonObject(0).getString("user_id")).as("highest first").isEqualTo(Fixtures.profileOf(member));
    }

    private static String nextQuery(String link) {
        Matcher m = Pattern.compile("<[^>?]*(\\?[^>]*)>;\\s*rel=\"next\"").matcher(link);
        assertThat(m.find()).as(link).isTrue();
        return m.group(1);
    }

    @Test
    void offlineLogsWithinTheGraceChangeANonFinalPeriodAndTheStreaksAfterIt() throws Exception {
        User owner = User.random();
        ZoneId zone = Fixtures.zoneAwayFromMidnight();
        LocalDate today = today(zone);
        String id = group(owner, zone, "daily", 30, local(today.minusDays(5), 0, 0, zone), Instant.now().plus(Duration.ofDays(5)));
        Instant dayBefore = local(today.minusDays(1), 0, 0, zone);
        // met the day before yesterday; yesterday not; today met
        PastTime.logged(id, owner, local(today.minusDays(2), 12, 0, zone), local(today.minusDays(2), 12, 40, zone));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(owner, id, dayBefore.plusSeconds(60));
        Focus.log(owner, session, t0.minusSeconds(3000), t0.minusSeconds(1000));
        assertThat(entryOf(Boards.current(owner, id), owner).getInt("streak")).isEqualTo(1);
        JsonObject yesterday = periodOf(history(owner, id, ""), dayBefore);
        assertThat(yesterday.getBoolean("final")).isFalse();
        assertThat(yesterday.getInt("members_met")).isZero();

        // the phone comes back online with 35 minutes of yesterday
        Focus.log(owner, session, dayBefore.plusSeconds(3600), dayBefore.plusSeconds(3600 + 35 * 60));
        yesterday = periodOf(history(owner, id, ""), dayBefore);
        assertThat(yesterday.getInt("members_met")).isEqualTo(1);
        assertThat(secondsOf(yesterday, owner)).isEqualTo(35 * 60);
        JsonObject now = entryOf(Boards.current(owner, id), owner);
        assertThat(now.getInt("streak")).as("two days before, yesterday, today").isEqualTo(3);
        assertThat(now.getInt("best_streak")).isEqualTo(3);
        assertTotalsAreWhatTheLogsSay(id);
    }

    @Test
    void finalPeriodsNeverChange() throws Exception {
        User owner = User.random();
        LocalDate today = today(PARIS);
        String id = group(owner, PARIS, "daily", 30, local(today.minusDays(9), 0, 0, PARIS), Instant.now().plus(Duration.ofDays(5)));
        Instant old = local(today.minusDays(5), 0, 0, PARIS);
        PastTime.logged(id, owner, old.plusSeconds(3600), old.plusSeconds(3600 + 40 * 60));
        JsonObject before = periodOf(history(owner, id, "?limit=100"), old);
        assertThat(before.getBoolean("final")).isTrue();
        assertThat(before.getBoolean("group_goal_met")).isTrue();
        List<JsonObject> boardBefore = Boards.at(owner, id, old.plusSeconds(7200));

        // no log reaches it any more (the offline grace), and a new target applies from the current period on
        String session = Focus.session(owner, id);
        Focus.ok(Focus.act(owner, session, "start"));
        Focus.act(owner, session, "pause");
        Reply late = Focus.postLog(owner, session, old.plusSeconds(7200), old.plusSeconds(7300));
        assertThat(late.status()).as(late.toString()).isEqualTo(422);
        Reply patched = owner.api().patch("/api/groups/" + id, "{\"period_target_minutes\": 600}");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        SQL.update("update group_members set override_period_target_minutes = 900 where group_id = ?::uuid", id);

        assertThat(periodOf(history(owner, id, "?limit=100"), old)).isEqualTo(before);
        assertThat(Boards.at(owner, id, old.plusSeconds(7200))).isEqualTo(boardBefore);
        assertThat(Boards.current(owner, id).get(0).getInt("target_minutes")).isEqualTo(900);
        assertThat(history(owner, id, "?limit=1").get(0).getInt("target_minutes")).isEqualTo(600);
    }

    @Test
    void sealedBoardsAreTheComputedOnesAndAreForgottenWhenWhatMadeThemChanges() throws Exception {
        User owner = User.random();
        User leaver = User.random();
        User late = User.random();
        LocalDate today = today(PARIS);
        String id = group(owner, PARIS, "daily", 30, local(today.minusDays(9), 0, 0, PARIS), Instant.now().plus(Duration.ofDays(5)));
        PastTime.join(owner, id, leaver, local(today.minusDays(9), 0, 0, PARIS));
        PastTime.join(owner, id, late, local(today.minusDays(9), 0, 0, PARIS));
        Instant dayOfLeaver = local(today.minusDays(6), 0, 0, PARIS);
        Instant dayOfLate = local(today.minusDays(5), 0, 0, PARIS);
        PastTime.logged(id, owner, local(today.minusDays(7), 9, 0, PARIS), local(today.minusDays(7), 9, 40, PARIS));
        PastTime.logged(id, leaver, dayOfLeaver.plusSeconds(3600), dayOfLeaver.plusSeconds(3600 + 40 * 60));
        PastTime.logged(id, late, dayOfLate.plusSeconds(3600), dayOfLate.plusSeconds(3600 + 10 * 60));

        // the first page that computes final periods has them sealed; read again, they are the same
        List<JsonObject> computed = history(owner, id, "?limit=100");
        long finals = computed.stream().filter(p -> p.getBoolean("final")).count();
        assertThat(finals).isGreaterThanOrEqualTo(7);
        awaitSealed(id, finals);
        assertThat(history(owner, id, "?limit=100")).isEqualTo(computed);
        assertThat(history(owner, id, "?limit=3&before=" + dayOfLate)).isEqualTo(computed.subList(computed.indexOf(
                periodOf(computed, dayOfLate)) + 1, computed.indexOf(periodOf(computed, dayOfLate)) + 4));

        // a log reaching a final period (a manual log of 24 hours may reach back past the grace)
        PastTime.logged(id, late, dayOfLate.plusSeconds(7200), dayOfLate.plusSeconds(7200 + 25 * 60));
        assertThat(SQL.count("select count(*) from period_boards where group_id = ?::uuid and period_start >= ?",
                id, Sql.ts(dayOfLate))).as("forgotten from that period on").isZero();
        JsonObject relogged = periodOf(history(owner, id, "?limit=100"), dayOfLate);
        assertThat(secondsOf(relogged, late)).isEqualTo(35 * 60);
        assertThat(relogged.getBoolean("group_goal_met")).isFalse();
        awaitSealed(id, finals);
        assertThat(secondsOf(periodOf(history(owner, id, "?limit=100"), dayOfLate), late)).isEqualTo(35 * 60);

        // a member leaving stays on every past board, sealed or not, as a former member (history is
        // true: no sealed board is forgotten); joining again, they are on them as a member
        Reply left = leaver.api().delete("/api/groups/" + id + "/members/" + Fixtures.profileOf(leaver));
        assertThat(left.status()).as(left.toString()).isEqualTo(204);
        assertThat(SQL.count("select count(*) from period_boards where group_id = ?::uuid", id)).isEqualTo(finals);
        List<JsonObject> withLeaver = history(owner, id, "?limit=100");
        assertThat(periodOf(withLeaver, dayOfLeaver).getJsonArray("entries")).hasSize(3);
        assertThat(secondsOf(periodOf(withLeaver, dayOfLeaver), leaver)).isEqualTo(40 * 60);
        assertThat(periodOf(withLeaver, dayOfLeaver).getInt("members_met")).isOne();
        assertThat(periodOf(withLeaver, dayOfLeaver).getJsonArray("entries").getValuesAs(JsonObject.class))
                .filteredOn(e -> e.getString("user_id").equals(Fixtures.profileOf(leaver)))
                .singleElement().satisfies(e -> assertThat(e.getBoolean("former_member")).isTrue());
        assertThat(Boards.at(owner, id, dayOfLeaver.plusSeconds(7200))).hasSize(3);
        assertThat(history(owner, id, "?limit=100")).isEqualTo(withLeaver);
        Fixtures.member(owner, id, leaver, "member");
        List<JsonObject> back = history(owner, id, "?limit=100");
        assertThat(secondsOf(periodOf(back, dayOfLeaver), leaver)).isEqualTo(40 * 60);
        assertThat(periodOf(back, dayOfLeaver).getBoolean("group_goal_met")).isFalse();
        awaitSealed(id, finals);
        assertThat(history(owner, id, "?limit=100")).isEqualTo(back);

        // the group's periods moving (here its zone: read-only in the API, the database allows it) forgets them all
        SQL.update("update groups set timezone = 'Asia/Tokyo' where id = ?::uuid", id);
        assertThat(SQL.count("select count(*) from period_boards where group_id = ?::uuid", id)).isZero();
        List<JsonObject> tokyo = history(owner, id, "?limit=100");
        assertThat(tokyo.get(tokyo.size() - 2).getString("period_start"))
                .isNotEqualTo(computed.get(computed.size() - 2).getString("period_start"));
        awaitSealed(id, tokyo.stream().filter(p -> p.getBoolean("final")).count());
        assertThat(history(owner, id, "?limit=100")).isEqualTo(tokyo);
    }

    @Test
    void aBoardSealedWhileALogReachesItsPeriodIsForgottenWhenTheLogCommits() throws Exception {
        User owner = User.random();
        LocalDate today = today(PARIS);
        String id = group(owner, PARIS, "daily", 30, local(today.minusDays(9), 0, 0, PARIS), Instant.now().plus(Duration.ofDays(5)));
        Instant day = local(today.minusDays(5), 0, 0, PARIS);
        PastTime.logged(id, owner, day.plusSeconds(3600), day.plusSeconds(3600 + 10 * 60));

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (var sealer = SQL.connect()) {
            sealer.setAutoCommit(false);
            try (var sealing = Sql.prepare(sealer, "select seal_group_history(?::uuid, interval '48 hours')", id);
                 var sealed = sealing.executeQuery()) {
                sealed.next();
                assertThat(sealed.getInt(1)).isGreaterThanOrEqualTo(7);
            }
            // a log reaching the sealed period waits for the sealing transaction, then forgets what it sealed
            Future<?> late = pool.submit((Callable<Void>) () -> {
                PastTime.logged(id, owner, day.plusSeconds(7200), day.plusSeconds(7200 + 25 * 60));
                return null;
            });
            // the log's transaction waits on the group's advisory lock (held by the sealing transaction)
            await().atMost(Duration.ofSeconds(10)).until(() -> SQL.count("select count(*) from pg_stat_activity"
                    + " where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()") > 0);
            assertThat(late.isDone()).as("the log waits for the sealing").isFalse();
            sealer.commit();
            late.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(SQL.count("select count(*) from period_boards where group_id = ?::uuid and period_start >= ?",
                id, Sql.ts(day))).isZero();
        JsonObject period = periodOf(history(owner, id, "?limit=100"), day);
        assertThat(secondsOf(period, owner)).isEqualTo(35 * 60);
        assertThat(period.getBoolean("group_goal_met")).isTrue();
    }

    /** Waits for the group's final periods to be sealed (in the background, after a page computed them). */
    private static void awaitSealed(String groupId, long finals) throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                SQL.count("select count(*) from period_boards where group_id = ?::uuid", groupId))
                .as("final periods sealed").isGreaterThanOrEqualTo(finals));
    }

    @Test
    void movingTheGroupsEndRecountsItsLastPeriods() throws Exception {
        User owner = User.random();
        ZoneId zone = Fixtures.zoneAwayFromMidnight();
        LocalDate today = today(zone);
        Instant end = local(today.plusDays(2), 12, 0, zone);
        String id = group(owner, zone, "daily", 30, local(today.minusDays(3), 0, 0, zone), end);
        PastTime.logged(id, owner, local(today.minusDays(1), 1, 0, zone), local(today.minusDays(1), 2, 0, zone));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(owner, id, t0.minusSeconds(4000));
        Focus.log(owner, session, t0.minusSeconds(3900), t0.minusSeconds(1900));

        // the owner brings the end closer (today's period is then the last, cut at the new end), then moves it out again
        Instant sooner = Instant.now().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
        Reply patched = owner.api().patch("/api/groups/" + id, "{\"end_at\": \"" + sooner + "\"}");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertTotalsAreWhatTheLogsSay(id);
        JsonObject last = entryOf(Boards.current(owner, id), owner);
        assertThat(Instant.parse(last.getString("period_end"))).isEqualTo(sooner);
        assertThat(last.getJsonNumber("seconds_done").longValue()).isEqualTo(2000);
        assertThat(last.getInt("streak")).isEqualTo(2);
        patched = owner.api().patch("/api/groups/" + id, "{\"end_at\": \"" + end.plus(Duration.ofDays(5)) + "\"}");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertTotalsAreWhatTheLogsSay(id);
        assertThat(entryOf(Boards.current(owner, id), owner).getInt("streak")).isEqualTo(2);
    }

    // ------------------------------------------------------------------ the record stays true

    @Test
    void twoDevicesLoggingAtOnceLeaveTotalsAndRunsAsTheLogsSay() throws Exception {
        User owner = User.random();
        ZoneId zone = Fixtures.zoneAwayFromMidnight();
        LocalDate today = today(zone);
        String id = group(owner, zone, "daily", 5, local(today.minusDays(3), 0, 0, zone), Instant.now().plus(Duration.ofDays(3)));
        Instant yesterday = local(today.minusDays(1), 0, 0, zone);
        String session = Focus.pausedSince(owner, id, yesterday.plusSeconds(60));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Reply>> logs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {   // 16 minutes of yesterday and 16 of today, sent at once from two "devices"
                Instant a = yesterday.plusSeconds(3600 + i * 120L);
                Instant b = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5000 - i * 120L);
                logs.add(() -> Focus.postLog(owner, session, a, a.plusSeconds(60)));
                logs.add(() -> Focus.postLog(owner, session, b, b.plusSeconds(60)));
            }
            for (Future<Reply> done : pool.invokeAll(logs)) {
                assertThat(done.get().status()).as(done.get().toString()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonObject now = entryOf(Boards.current(owner, id), owner);
        assertThat(now.getJsonNumber("seconds_done").longValue()).isEqualTo(16 * 60);
        assertThat(now.getInt("streak")).isEqualTo(2);
        assertTotalsAreWhatTheLogsSay(id);
    }

    /** The per-member period totals equal a fresh count of the logs, and their runs a fresh computation. */
    private static void assertTotalsAreWhatTheLogsSay(String groupId) throws Exception {
        List<Map<String, Object>> kept = SQL.rows("select user_id, period_start, seconds, met, prior_run, run, best"
                + " from member_period_totals where group_id = ?::uuid and seconds <> 0 order by user_id, period_start", groupId);
        List<Map<String, Object>> counted = SQL.rows("select l.user_id, p.period_start,"
                + " sum(extract(epoch from least(l.ended_at, p.period_end) - greatest(l.started_at, p.period_start))) as seconds"
                + " from time_logs l join groups g on g.id = l.group_id"
                + " cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at, l.started_at, l.ended_at) p"
                + " where l.group_id = ?::uuid and l.ended_at is not null"
                + " group by l.user_id, p.period_start order by l.user_id, p.period_start", groupId);
        assertThat(kept).hasSameSizeAs(counted);
        for (int i = 0; i < kept.size(); i++) {
            assertThat(kept.get(i).get("user_id")).isEqualTo(counted.get(i).get("user_id"));
            assertThat(kept.get(i).get("period_start")).isEqualTo(counted.get(i).get("period_start"));
            assertThat(((java.math.BigDecimal) kept.get(i).get("seconds")).compareTo((java.math.BigDecimal) counted.get(i).get("seconds")))
                    .as("seconds of %s", kept.get(i)).isZero();
        }
        // recomputing every run from the start changes nothing
        try (var c = SQL.connect()) {
            c.setAutoCommit(false);
            Sql.prepare(c, "select refresh_member_runs(?::uuid, null, '-infinity')", groupId).execute();
            try (var rows = Sql.prepare(c, "select user_id, period_start, seconds, met, prior_run, run, best from member_period_totals"
                    + " where group_id = ?::uuid and seconds <> 0 order by user_id, period_start", groupId).executeQuery()) {
                List<String> again = new ArrayList<>();
                while (rows.next()) {
                    again.add(rows.getString(1) + " " + rows.getTimestamp(2).toInstant() + " " + rows.getBoolean(4) + " "
                            + rows.getInt(5) + " " + rows.getInt(6) + " " + rows.getInt(7));
                }
                List<String> before = kept.stream().map(r -> r.get("user_id") + " " + ((Timestamp) r.get("period_start")).toInstant()
                        + " " + r.get("met") + " " + r.get("prior_run") + " " + r.get("run") + " " + r.get("best")).toList();
                assertThat(again).isEqualTo(before);
            }
            c.rollback();
        }
    }

    // ------------------------------------------------------------------ the caller's own stats

    @Test
    void statsCountEverySessionPerLocalDayWithTheCurrentStreakOfDays() throws Exception {
        User me = User.random();
        ZoneId zone = Fixtures.zoneAwayFromMidnight();
        LocalDate today = today(zone);
        String id = group(me, zone, "daily", 30, local(today.minusDays(9), 0, 0, zone), Instant.now().plus(Duration.ofDays(3)));
        for (int d : new int[] {8, 3, 2, 1}) {
            PastTime.logged(id, me, local(today.minusDays(d), 10, 0, zone), local(today.minusDays(d), 10, 30, zone));
        }
        // a session without a group counts too
        Reply solo = me.api().post("/api/sessions", "{}");
        assertThat(solo.status()).as(solo.toString()).isEqualTo(201);
        String soloId = solo.json().getString("id");
        Focus.ok(Focus.actAt(me, soloId, "start", Instant.now().minusSeconds(600)));
        Focus.act(me, soloId, "pause");

        JsonObject stats = stats(me, "?from=" + today.minusDays(9) + "&to=" + today + "&timezone=" + zone.getId());
        assertThat(stats.keySet()).containsExactlyInAnyOrder("days", "total_seconds", "best_day", "current_streak_days");
        assertThat(stats.getJsonArray("days")).hasSize(10);
        assertThat(dayOf(stats, today.minusDays(8))).isEqualTo(1800);
        assertThat(dayOf(stats, today.minusDays(5))).isZero();
        assertThat(dayOf(stats, today)).as("the solo session's time (the guard may have paused it after 3 s)").isPositive();
        assertThat(stats.getInt("current_streak_days")).isEqualTo(4);
        assertThat(stats.getJsonNumber("total_seconds").longValue()).isEqualTo(4 * 1800 + dayOf(stats, today));
        // the run does not depend on the range asked: one that ends before today, one that starts inside the run
        assertThat(stats(me, "?from=" + today.minusDays(9) + "&to=" + today.minusDays(5) + "&timezone=" + zone.getId())
                .getInt("current_streak_days")).isEqualTo(4);
        assertThat(stats(me, "?from=" + today.minusDays(1) + "&to=" + today + "&timezone=" + zone.getId())
                .getInt("current_streak_days")).isEqualTo(4);

        // nothing yet today: the run still counts until the day ends
        User quiet = User.random();
        String quietGroup = group(quiet, zone, "daily", 30, local(today.minusDays(3), 0, 0, zone), Instant.now().plus(Duration.ofDays(3)));
        PastTime.logged(quietGroup, quiet, local(today.minusDays(1), 10, 0, zone), local(today.minusDays(1), 10, 5, zone));
        JsonObject quietStats = stats(quiet, "?from=" + today + "&to=" + today + "&timezone=" + zone.getId());
        assertThat(quietStats.getInt("current_streak_days")).isEqualTo(1);
        assertThat(quietStats.isNull("best_day")).isTrue();
        assertThat(quietStats.getJsonNumber("total_seconds").longValue()).isZero();
        // UTC by default
        assertThat(stats(quiet, "?from=" + today + "&to=" + today).getJsonArray("days")).hasSize(1);
    }

    @Test
    void aRunOfDaysLongerThanTheRangeIsCountedWhole() throws Exception {
        User me = User.random();
        ZoneId zone = Fixtures.zoneAwayFromMidnight();
        LocalDate today = today(zone);
        int days = 45;   // more than the first windows the database looks back in (32 days, then 128)
        String id = group(me, zone, "daily", 30, local(today.minusDays(days + 1), 0, 0, zone), Instant.now().plus(Duration.ofDays(3)));
        for (int d = 1; d <= days; d++) {
            PastTime.logged(id, me, local(today.minusDays(d), 9, 0, zone), local(today.minusDays(d), 9, 1, zone));
        }
        String in = "&timezone=" + zone.getId();
        assertThat(stats(me, "?from=" + today.minusDays(6) + "&to=" + today + in).getInt("current_streak_days"))
                .as("a week asked, the run goes on before it").isEqualTo(days);
        assertThat(stats(me, "?from=" + today + "&to=" + today + in).getInt("current_streak_days")).isEqualTo(days);
        assertThat(stats(me, "?from=" + today.minusDays(80) + "&to=" + today.minusDays(70) + in).getInt("current_streak_days"))
                .as("a range long before today").isEqualTo(days);
        JsonObject year = stats(me, "?from=" + today.minusDays(365) + "&to=" + today + in);
        assertThat(year.getInt("current_streak_days")).isEqualTo(days);
        assertThat(year.getJsonNumber("total_seconds").longValue()).isEqualTo(days * 60L);
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void historyAndPastBoardsAreForMembersAndWithinTheGroupsLife() throws Exception {
        User owner = User.random();
        Instant start = Instant.now().minus(Duration.ofDays(3));
        Instant end = Instant.now().plus(Duration.ofDays(3));
        String id = group(owner, PARIS, "daily", 30, start, end);
        String base = "/api/groups/" + id;

        assertProblem(User.random().api().get(base + "/history"), 404);
        assertProblem(User.random().api().get(base + "/progress?at=" + Instant.now()), 404);
        assertProblem(owner.api().get("/api/groups/" + UUID.randomUUID() + "/history"), 404);
        assertProblem(owner.api().get("/api/groups/" + UUID.randomUUID() + "/progress?at=" + Instant.now()), 404);
        assertProblem(Api.anonymous().get(base + "/history"), 401);
        assertProblem(Api.anonymous().get(base + "/progress?at=" + Instant.now()), 401);
        assertProblem(Api.anonymous().get("/api/me/stats?from=2026-01-01&to=2026-01-02"), 401);

        assertInvalid(owner.api().get(base + "/progress?at=" + start.minusSeconds(1)), "at");
        assertInvalid(owner.api().get(base + "/progress?at=" + end), "at");
        assertInvalid(owner.api().get(base + "/progress?at=" + Instant.now().plus(Duration.ofHours(2))), "at");
        assertThat(Boards.at(owner, id, start)).hasSize(1);
        assertProblem(owner.api().get(base + "/progress"), 400);
        assertProblem(owner.api().get(base + "/progress?at=yesterday"), 400);
        assertProblem(owner.api().get(base + "/history?limit=0"), 400);
        assertProblem(owner.api().get(base + "/history?limit=101"), 400);
        assertProblem(owner.api().get(base + "/history?before=soon"), 400);

        LocalDate today = LocalDate.now(ZoneId.of("UTC"));
        assertInvalid(owner.api().get("/api/me/stats?from=" + today.minusDays(366) + "&to=" + today), "to");
        assertThat(stats(owner, "?from=" + today.minusDays(365) + "&to=" + today).getJsonArray("days")).hasSize(366);
        assertInvalid(owner.api().get("/api/me/stats?from=" + today + "&to=" + today.minusDays(1)), "to");
        assertInvalid(owner.api().get("/api/me/stats?from=" + today + "&to=" + today + "&timezone=Mars/Olympus"), "timezone");
        assertProblem(owner.api().get("/api/me/stats?to=" + today), 400);
        assertProblem(owner.api().get("/api/me/stats?from=2026-02-30&to=" + today), 400);

        // a pending group has no history yet
        String pending = group(owner, PARIS, "daily", 30, Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(4)));
        assertThat(history(owner, pending, "")).isEmpty();
    }
}
