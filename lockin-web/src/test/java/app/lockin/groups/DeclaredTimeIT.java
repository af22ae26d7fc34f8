package app.lockin.groups;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.EventStream;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/**
 * Clocked and declared time on the group's side (DOMAIN.md "Fair play"):
 * every board and history entry says how much of its time was declared
 * (manual logs, device-dated clock actions), and a group's
 * {@code declared_time} setting decides whether that time counts for the
 * group from the current period on; the person's own record keeps it.
 */
@LockinServer
class DeclaredTimeIT {

    private static JsonObject entryOf(User viewer, String groupId, User member) {
        String id = Fixtures.profileOf(member);
        return viewer.api().get("/api/groups/" + groupId + "/progress/current").jsonArray()
                .getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("user_id").equals(id))
                .findFirst().orElseThrow();
    }

    private static Reply patch(User caller, String groupId, String body) {
        return caller.api().patch("/api/groups/" + groupId, body);
    }

    /** A crew whose member typed in 62 minutes of focus in the current period (a manual log). */
    private static Crew crewWithAnHourTypedIn() {
        Crew crew = Fixtures.crewSinceYesterday();
        Instant now = Instant.now();
        String session = Focus.pausedSince(crew.member(), crew.groupId(), now.minus(Duration.ofMinutes(70)));
        Focus.log(crew.member(), session, now.minus(Duration.ofMinutes(65)), now.minus(Duration.ofMinutes(3)));
        return crew;
    }

    private static long seconds(JsonObject entry, String field) {
        return entry.getJsonNumber(field).longValue();
    }

    /** A manual hour counts and shows as declared; not counted, it leaves the board, the goal and the streak, but not the person's record. */
    @Test
    void declaredTimeCountsUntilTheGroupSaysOtherwiseAndStaysInThePersonsRecord() {
        Crew crew = crewWithAnHourTypedIn();

        JsonObject counted = entryOf(crew.owner(), crew.groupId(), crew.member());
        assertThat(seconds(counted, "seconds_done")).isEqualTo(62 * 60);
        assertThat(seconds(counted, "seconds_declared")).as("all of it typed in").isEqualTo(62 * 60);
        assertThat(counted.getBoolean("goal_met")).isTrue();
        assertThat(counted.getInt("streak")).isEqualTo(1);
        assertThat(crew.owner().api().get("/api/groups/" + crew.groupId()).json().getString("declared_time"))
                .as("counted by default").isEqualTo("counted");

        Reply changed = patch(crew.owner(), crew.groupId(), "{\"declared_time\": \"not_counted\"}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().getString("declared_time")).isEqualTo("not_counted");
        assertThat(crew.member().api().get("/api/groups/" + crew.groupId()).json().getString("declared_time"))
                .as("every member sees the rule").isEqualTo("not_counted");

        JsonObject notCounted = entryOf(crew.member(), crew.groupId(), crew.member());
        assertThat(seconds(notCounted, "seconds_done")).isZero();
        assertThat(seconds(notCounted, "seconds_declared")).isZero();
        assertThat(notCounted.getBoolean("goal_met")).isFalse();
        assertThat(notCounted.getInt("streak")).isZero();
        List<JsonObject> today = crew.member().api().get("/api/groups/" + crew.groupId() + "/history?limit=1").jsonArray()
                .getJsonObject(0).getJsonArray("entries").getValuesAs(JsonObject.class);
        assertThat(today).filteredOn(e -> e.getString("user_id").equals(Fixtures.profileOf(crew.member())))
                .singleElement().satisfies(e -> {
                    assertThat(seconds(e, "seconds_done")).isZero();
                    assertThat(seconds(e, "seconds_declared")).isZero();
                });

        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        Reply stats = crew.member().api().get("/api/me/stats?from=" + day.minusDays(1) + "&to=" + day.plusDays(1));
        assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
        // each day's seconds are whole: a log across midnight (UTC, the stats' default zone) may lose one
        assertThat(stats.json().getJsonNumber("total_seconds").longValue()).as("their own record keeps it")
                .isGreaterThanOrEqualTo(62 * 60 - 1);

        // an admin may count it again: back on the board as it was
        Reply again = patch(crew.admin(), crew.groupId(), "{\"declared_time\": \"counted\"}");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        JsonObject recounted = entryOf(crew.owner(), crew.groupId(), crew.member());
        assertThat(seconds(recounted, "seconds_done")).isEqualTo(62 * 60);
        assertThat(seconds(recounted, "seconds_declared")).isEqualTo(62 * 60);
        assertThat(recounted.getBoolean("goal_met")).isTrue();
    }

    /** The rule moves the board: its streams get the new one at once. */
    @Test
    void aNewRuleReachesTheBoardsStreams() {
        Crew crew = crewWithAnHourTypedIn();
        String memberId = Fixtures.profileOf(crew.member());
        try (EventStream stream = EventStream.open(crew.owner(), "/api/groups/" + crew.groupId() + "/progress/stream")) {
            stream.next("leaderboard", Duration.ofSeconds(5));
            assertThat(patch(crew.admin(), crew.groupId(), "{\"declared_time\": \"not_counted\"}").status()).isEqualTo(200);
            stream.next(e -> e.name().equals("leaderboard") && e.board().getValuesAs(JsonObject.class).stream()
                    .anyMatch(entry -> entry.getString("user_id").equals(memberId) && seconds(entry, "seconds_done") == 0),
                    Duration.ofSeconds(2));
        }
    }

    /** Clocked time counts whatever the setting, and is not declared. */
    @Test
    void clockedTimeAlwaysCounts() {
        Crew crew = Fixtures.crewSinceYesterday();
        assertThat(patch(crew.owner(), crew.groupId(), "{\"declared_time\": \"not_counted\"}").status()).isEqualTo(200);
        Fixtures.memberSince(crew.groupId(), crew.member(), Instant.now().minus(Duration.ofMinutes(1)));
        String session = Focus.session(crew.member(), crew.groupId());
        // dated 2 s back by the device: within 60 s of the server's now, so clocked
        Focus.ok(Focus.actAt(crew.member(), session, "start", Instant.now().minusSeconds(2)));
        Focus.act(crew.member(), session, "pause");

        JsonObject entry = entryOf(crew.owner(), crew.groupId(), crew.member());
        assertThat(seconds(entry, "seconds_done")).isGreaterThanOrEqualTo(1);
        assertThat(seconds(entry, "seconds_declared")).isZero();
    }

    /** A start the device dated more than 60 s back makes a declared segment (cut at the suite's 3 s cap); not counted, it is off the board. */
    @Test
    void aClockActionTheDeviceDatedBackIsDeclared() {
        Crew crew = Fixtures.crewSinceYesterday();
        Fixtures.memberSince(crew.groupId(), crew.member(), Instant.now().minus(Duration.ofMinutes(10)));
        String session = Focus.session(crew.member(), crew.groupId());
        Focus.ok(Focus.actAt(crew.member(), session, "start", Instant.now().minusSeconds(90)));
        Reply paused = Focus.act(crew.member(), session, "pause");
        assertThat(paused.status()).as("paused by the request, or by the guard first").isIn(200, 409);

        JsonObject entry = entryOf(crew.owner(), crew.groupId(), crew.member());
        assertThat(seconds(entry, "seconds_done")).isEqualTo(3);
        assertThat(seconds(entry, "seconds_declared")).as("the device's time").isEqualTo(3);

        assertThat(patch(crew.owner(), crew.groupId(), "{\"declared_time\": \"not_counted\"}").status()).isEqualTo(200);
        JsonObject notCounted = entryOf(crew.owner(), crew.groupId(), crew.member());
        assertThat(seconds(notCounted, "seconds_done")).isZero();
        assertThat(seconds(notCounted, "seconds_declared")).isZero();
    }

    /** A change applies from the current period on: yesterday's board keeps the declared time it counted. */
    @Test
    void earlierPeriodsKeepWhatTheyCounted() {
        Crew crew = Fixtures.crewSinceYesterday();
        Instant now = Instant.now();
        Instant yesterday = now.minus(Duration.ofHours(23)).minus(Duration.ofMinutes(50));
        String session = Focus.pausedSince(crew.member(), crew.groupId(), yesterday);
        Focus.log(crew.member(), session, yesterday, yesterday.plus(Duration.ofMinutes(20)));
        Focus.log(crew.member(), session, now.minus(Duration.ofMinutes(30)), now.minus(Duration.ofMinutes(20)));

        assertThat(patch(crew.owner(), crew.groupId(), "{\"declared_time\": \"not_counted\"}").status()).isEqualTo(200);

        List<JsonObject> periods = crew.owner().api().get("/api/groups/" + crew.groupId() + "/history?limit=2").jsonArray()
                .getValuesAs(JsonObject.class);
        assertThat(periods).hasSize(2);
        String member = Fixtures.profileOf(crew.member());
        assertThat(periods.get(0).getJsonArray("entries").getValuesAs(JsonObject.class))
                .as("today: not counted").filteredOn(e -> e.getString("user_id").equals(member)).singleElement()
                .satisfies(e -> assertThat(seconds(e, "seconds_done")).isZero());
        assertThat(periods.get(1).getJsonArray("entries").getValuesAs(JsonObject.class))
                .as("yesterday: as it was counted").filteredOn(e -> e.getString("user_id").equals(member)).singleElement()
                .satisfies(e -> {
                    assertThat(seconds(e, "seconds_done")).isEqualTo(20 * 60);
                    assertThat(seconds(e, "seconds_declared")).isEqualTo(20 * 60);
                });
        Reply pastBoard = crew.owner().api().get("/api/groups/" + crew.groupId() + "/progress?at="
                + yesterday.plus(Duration.ofMinutes(30)));
        assertThat(pastBoard.status()).as(pastBoard.toString()).isEqualTo(200);
        assertThat(pastBoard.jsonArray().getValuesAs(JsonObject.class))
                .filteredOn(e -> e.getString("user_id").equals(member)).singleElement()
                .satisfies(e -> assertThat(seconds(e, "seconds_declared")).isEqualTo(20 * 60));
    }

    /** Only the owner and admins decide; the value is one of the two; nobody else learns the group exists. */
    @Test
    void theSettingIsTheManagersAndTakesOneOfTwoValues() {
        Crew crew = Fixtures.crew();
        assertProblem(Api.anonymous().patch("/api/groups/" + crew.groupId(), "{\"declared_time\": \"not_counted\"}"), 401);
        assertProblem(patch(crew.member(), crew.groupId(), "{\"declared_time\": \"not_counted\"}"), 403);
        assertProblem(patch(User.random(), crew.groupId(), "{\"declared_time\": \"not_counted\"}"), 404);
        assertInvalid(patch(crew.owner(), crew.groupId(), "{\"declared_time\": \"sometimes\"}"), "declared_time");
        assertInvalid(patch(crew.owner(), crew.groupId(), "{\"declared_time\": null}"), "declared_time");
        assertInvalid(patch(crew.owner(), crew.groupId(), "{\"declared_time\": 1}"), "declared_time");
        assertThat(crew.owner().api().get("/api/groups/" + crew.groupId()).json().getString("declared_time"))
                .as("nothing changed").isEqualTo("counted");
    }
}
