package app.lockin.progress;

import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.EventStream;
import app.lockin.testing.EventStream.Event;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/**
 * Hidden is hidden everywhere: a member who hides from the leaderboard is
 * absent to other plain members (boards, past boards, history, the live board,
 * presence, focus lists, milestones, session lists and participant lists; the
 * members list names them without their streak), while their time still
 * counts toward the group's goal; they
 * themself, the owner and admins see them as usual.
 */
@LockinServer
class PrivacyIT {

    private static final Duration SOON = Duration.ofSeconds(5);

    private record Setup(Crew crew, User hider, String hiderId) {
    }

    /** A crew (of a group started an hour ago) with one more plain member, who hides. */
    private static Setup setUp() {
        User owner = User.random();
        Reply group = owner.api().post("/api/groups", "{\"name\": \"Private\", \"start_at\": \"" + Instant.now().minusSeconds(3600)
                + "\", \"end_at\": \"" + Instant.now().plus(Duration.ofDays(7)) + "\", \"period\": \"weekly\", \"period_target_minutes\": 60}");
        assertThat(group.status()).as(group.toString()).isEqualTo(201);
        String groupId = group.json().getString("id");
        User admin = User.random();
        User member = User.random();
        Fixtures.member(owner, groupId, admin, "admin");
        Fixtures.member(owner, groupId, member, "member");
        Crew crew = new Crew(owner, admin, member, groupId);
        User hider = User.random();
        Fixtures.member(crew.owner(), crew.groupId(), hider, "member");
        String hiderId = Fixtures.profileOf(hider);
        Reply hidden = hider.api().patch("/api/groups/" + crew.groupId() + "/members/" + hiderId,
                "{\"hidden_from_leaderboard\": true}");
        assertThat(hidden.status()).as(hidden.toString()).isEqualTo(200);
        assertThat(hidden.json().getBoolean("hidden_from_leaderboard")).isTrue();
        return new Setup(crew, hider, hiderId);
    }

    private static JsonArray board(User viewer, String groupId) {
        Reply board = viewer.api().get("/api/groups/" + groupId + "/progress/current");
        assertThat(board.status()).as(board.toString()).isEqualTo(200);
        return board.jsonArray();
    }

    private static List<JsonObject> hiddenEntries(JsonArray entries) {
        return entries.getValuesAs(JsonObject.class).stream().filter(e -> e.getBoolean("hidden")).toList();
    }

    /** Nothing of the hider: no entry of theirs, none marked hidden, nothing without an id. */
    private static void assertAbsent(JsonArray entries, String hiderId) {
        assertThat(hiddenEntries(entries)).isEmpty();
        assertThat(entries.getValuesAs(JsonObject.class)).allSatisfy(e -> {
            assertThat(e.isNull("user_id")).isFalse();
            assertThat(e.getString("user_id")).isNotEqualTo(hiderId);
        });
    }

    private static void assertShown(JsonArray entries, String hiderId) {
        List<JsonObject> hidden = hiddenEntries(entries);
        assertThat(hidden).hasSize(1);
        assertThat(hidden.get(0).getString("user_id")).isEqualTo(hiderId);
        if (hidden.get(0).containsKey("display_name")) {
            assertThat(hidden.get(0).isNull("display_name")).isFalse();
        }
    }

    @Test
    void othersSeeNothingOfAHiddenMemberWhileTheirTimeCounts() throws Exception {
        Setup s = setUp();
        String group = s.crew().groupId();
        Reply target = s.crew().owner().api().patch("/api/groups/" + group + "/members/" + s.hiderId(),
                "{\"override_period_target_minutes\": 1}");
        assertThat(target.status()).as(target.toString()).isEqualTo(200);
        String session = Focus.pausedSince(s.hider(), group, Instant.now().minusSeconds(600));
        Focus.log(s.hider(), session, Instant.now().minusSeconds(500), Instant.now().minusSeconds(200));

        JsonArray seenByMember = board(s.crew().member(), group);
        assertAbsent(seenByMember, s.hiderId());
        assertThat(seenByMember).hasSize(3);
        assertThat(seenByMember.getValuesAs(JsonObject.class)).as("the others ranked among themselves")
                .allSatisfy(e -> assertThat(e.getInt("rank")).isEqualTo(1));
        JsonArray seenByOwner = board(s.crew().owner(), group);
        assertShown(seenByOwner, s.hiderId());
        assertThat(hiddenEntries(seenByOwner).get(0).getJsonNumber("seconds_done").longValue()).isEqualTo(300);
        assertThat(hiddenEntries(seenByOwner).get(0).getInt("rank")).as("their time ranks them first").isEqualTo(1);
        assertThat(seenByOwner.getJsonObject(1).getInt("rank")).isEqualTo(2);
        assertShown(board(s.crew().admin(), group), s.hiderId());
        assertShown(board(s.hider(), group), s.hiderId());

        // the past board, and the history
        Reply at = s.crew().member().api().get("/api/groups/" + group + "/progress?at=" + Instant.now().minusSeconds(5));
        assertAbsent(at.jsonArray(), s.hiderId());
        assertThat(at.jsonArray()).hasSize(3);
        Reply history = s.crew().member().api().get("/api/groups/" + group + "/history?limit=1");
        JsonObject period = history.jsonArray().getJsonObject(0);
        assertAbsent(period.getJsonArray("entries"), s.hiderId());
        assertThat(period.getInt("member_count")).isEqualTo(3);
        assertThat(period.getInt("members_met")).isZero();
        Reply ownersHistory = s.crew().owner().api().get("/api/groups/" + group + "/history?limit=1");
        JsonObject ownersPeriod = ownersHistory.jsonArray().getJsonObject(0);
        assertShown(ownersPeriod.getJsonArray("entries"), s.hiderId());
        assertThat(ownersPeriod.getInt("member_count")).isEqualTo(4);
        assertThat(ownersPeriod.getInt("members_met")).isEqualTo(1);

        // the members list does not tell their streak to plain members
        Reply members = s.crew().member().api().get("/api/groups/" + group + "/members");
        JsonObject listed = members.jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(m -> m.getString("user_id").equals(s.hiderId())).findFirst().orElseThrow();
        assertThat(listed.getBoolean("hidden_from_leaderboard")).isTrue();
        assertThat(listed.isNull("streak")).as("name and role only").isTrue();
        assertThat(listed.isNull("best_streak")).isTrue();
        Reply ownersView = s.crew().owner().api().get("/api/groups/" + group + "/members/" + s.hiderId());
        assertThat(ownersView.json().getInt("streak")).as("met today").isEqualTo(1);

        // showing again: everyone sees them
        Reply shown = s.hider().api().patch("/api/groups/" + group + "/members/" + s.hiderId(), "{\"hidden_from_leaderboard\": false}");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(board(s.crew().member(), group)).hasSize(4);
    }

    @Test
    void hidingIsEachMembersOwnChoice() {
        Setup s = setUp();
        String group = s.crew().groupId();
        String members = "/api/groups/" + group + "/members/";
        assertProblem(s.crew().owner().api().patch(members + s.hiderId(), "{\"hidden_from_leaderboard\": false}"), 403);
        assertProblem(s.crew().admin().api().patch(members + Fixtures.profileOf(s.crew().member()), "{\"hidden_from_leaderboard\": true}"), 403);
        assertProblem(s.crew().member().api().patch(members + s.hiderId(), "{\"hidden_from_leaderboard\": false}"), 403);
        assertProblem(s.hider().api().patch(members + s.hiderId(), "{\"override_period_target_minutes\": 5}"), 403);
        assertProblem(s.hider().api().patch(members + s.hiderId(), "{\"hidden_from_leaderboard\": \"yes\"}"), 422);
        assertProblem(s.hider().api().patch(members + s.hiderId(), "{\"hidden_from_leaderboard\": null}"), 422);
        assertProblem(User.random().api().patch(members + s.hiderId(), "{\"hidden_from_leaderboard\": false}"), 404);
        Reply admin = s.crew().admin().api().patch(members + Fixtures.profileOf(s.crew().admin()), "{\"hidden_from_leaderboard\": true}");
        assertThat(admin.status()).as("admins and owners may hide too").isEqualTo(200);
        assertThat(s.crew().owner().api().get(members + s.hiderId()).json().getBoolean("hidden_from_leaderboard")).isTrue();
    }

    @Test
    void theLiveBoardAndPresenceDoNotRevealAHiddenMember() throws Exception {
        Setup s = setUp();
        String group = s.crew().groupId();
        String boardPath = "/api/groups/" + group + "/progress/stream";
        try (EventStream membersBoard = EventStream.open(s.crew().member(), boardPath);
                EventStream ownersBoard = EventStream.open(s.crew().owner(), boardPath);
                EventStream membersNews = EventStream.open(s.crew().member(), "/api/me/stream");
                EventStream ownersNews = EventStream.open(s.crew().owner(), "/api/me/stream")) {
            membersBoard.next("leaderboard", SOON);
            ownersBoard.next("leaderboard", SOON);
            String session = Focus.session(s.hider(), group);
            Focus.ok(Focus.act(s.hider(), session, "start"));

            Event full = ownersBoard.next(e -> e.name().equals("leaderboard")
                    && hiddenEntries(e.board()).stream().anyMatch(h -> h.getBoolean("is_focusing")), SOON);
            assertShown(full.board(), s.hiderId());
            assertThat(membersBoard.during(Duration.ofSeconds(1))).filteredOn(e -> e.name().equals("leaderboard"))
                    .allSatisfy(e -> assertAbsent(e.board(), s.hiderId()));

            Event presence = ownersNews.next("presence", SOON);
            assertThat(presence.object().getString("user_id")).isEqualTo(s.hiderId());
            assertThat(membersNews.during(Duration.ofSeconds(1))).noneMatch(e -> e.name().equals("presence"));

            Reply focus = s.crew().member().api().get("/api/me/focus");
            assertThat(focus.jsonArray().getJsonObject(0).getJsonArray("focusing")).isEmpty();
            Reply ownersFocus = s.crew().owner().api().get("/api/me/focus");
            assertThat(ownersFocus.jsonArray().getJsonObject(0).getJsonArray("focusing")).hasSize(1);
            Reply own = s.hider().api().get("/api/me/focus");
            assertThat(own.jsonArray().getJsonObject(0).getJsonArray("focusing")).hasSize(1);
            Focus.ok(Focus.act(s.hider(), session, "stop"));
        }
    }

    @Test
    void aHiddenMembersSessionsAndParticipationAreAbsentToOtherPlainMembers() {
        Setup s = setUp();
        String group = s.crew().groupId();
        String sessions = "/api/groups/" + group + "/sessions";
        String hosted = Focus.session(s.hider(), group);
        String members = Focus.session(s.crew().member(), group);
        Focus.ok(Focus.act(s.crew().member(), members, "start"));
        Reply joined = s.hider().api().post("/api/sessions/" + members + ":join", "");
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
        assertThat(joined.json().getInt("participant_count")).as("they see themself").isEqualTo(2);

        // a plain member: the hider's session is absent, and so is the hider from the one they joined
        Reply list = s.crew().member().api().get(sessions);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(ids(list.jsonArray())).containsExactly(members);
        assertThat(list.jsonArray().getJsonObject(0).getInt("participant_count")).isEqualTo(1);
        assertProblem(s.crew().member().api().get("/api/sessions/" + hosted), 404);
        assertProblem(s.crew().member().api().get("/api/sessions/" + hosted + "/participants"), 404);
        assertProblem(s.crew().member().api().post("/api/sessions/" + hosted + ":join", ""), 404);
        Reply participants = s.crew().member().api().get("/api/sessions/" + members + "/participants");
        assertThat(participants.status()).as(participants.toString()).isEqualTo(200);
        assertThat(userIds(participants.jsonArray())).containsExactly(Fixtures.profileOf(s.crew().member()));
        assertThat(Focus.get(s.crew().member(), members).getInt("participant_count")).isEqualTo(1);

        // the owner, an admin and the hider see everything
        for (User sees : List.of(s.crew().owner(), s.crew().admin(), s.hider())) {
            Reply all = sees.api().get(sessions);
            assertThat(ids(all.jsonArray())).containsExactlyInAnyOrder(hosted, members);
            Reply everyone = sees.api().get("/api/sessions/" + members + "/participants");
            assertThat(userIds(everyone.jsonArray())).contains(s.hiderId()).hasSize(2);
            assertThat(Focus.get(sees, hosted).getString("creator_id")).isEqualTo(s.hiderId());
        }

        // showing again: the plain member sees them
        Reply shown = s.hider().api().patch("/api/groups/" + group + "/members/" + s.hiderId(), "{\"hidden_from_leaderboard\": false}");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(ids(s.crew().member().api().get(sessions).jsonArray())).containsExactlyInAnyOrder(hosted, members);
        Focus.ok(Focus.act(s.crew().member(), members, "stop"));
    }

    private static List<String> ids(JsonArray sessions) {
        return sessions.getValuesAs(JsonObject.class).stream().map(o -> o.getString("id")).toList();
    }

    private static List<String> userIds(JsonArray participants) {
        return participants.getValuesAs(JsonObject.class).stream().map(o -> o.getString("user_id")).toList();
    }

    @Test
    void aHiddenMembersMilestoneIsToldOnlyToThemselfTheOwnerAndAdmins() throws Exception {
        Setup s = setUp();
        String group = s.crew().groupId();
        Reply target = s.crew().owner().api().patch("/api/groups/" + group + "/members/" + s.hiderId(),
                "{\"override_period_target_minutes\": 1}");
        assertThat(target.status()).as(target.toString()).isEqualTo(200);
        String session = Focus.pausedSince(s.hider(), group, Instant.now().minusSeconds(600));
        Focus.log(s.hider(), session, Instant.now().minusSeconds(500), Instant.now().minusSeconds(300));

        assertThat(milestones(s.crew().owner())).isEqualTo(1);
        assertThat(milestones(s.crew().admin())).isEqualTo(1);
        assertThat(milestones(s.hider())).isEqualTo(1);
        assertThat(milestones(s.crew().member())).isZero();
    }

    private static long milestones(User user) {
        Reply inbox = user.api().get("/api/notifications?limit=100");
        assertThat(inbox.status()).isEqualTo(200);
        return inbox.jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(n -> n.getString("kind").equals("milestone_member")).count();
    }
}
