package app.lockin.groups;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/** /api/groups: creating, listing, reading, changing, archiving and cloning groups, with who may do each. */
@LockinServer
class GroupsIT {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z";

    @Test
    void groupsAndMembershipsComeInKeysetPagesEachExactlyOnce() {
        User user = User.random();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 53; i++) {
            created.add(Fixtures.group(user).getString("id"));
        }
        Collections.reverse(created);   // newest first

        List<String> seen = new ArrayList<>();
        String path = "/api/groups?limit=20";
        int pages = 0;
        while (path != null) {
            Reply page = user.api().get(path);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.jsonArray().getValuesAs(JsonObject.class).forEach(g -> seen.add(g.getString("id")));
            path = page.header("Link").map(l -> l.substring(l.indexOf('<') + 1, l.indexOf('>'))).orElse(null);
            pages++;
        }
        assertThat(seen).isEqualTo(created);
        assertThat(pages).isEqualTo(3);
        assertThat(user.api().get("/api/groups").jsonArray()).as("50 by default").hasSize(50);

        Reply me = user.api().get("/api/me");
        assertThat(me.json().getJsonArray("memberships")).hasSize(50);
        String next = me.header("Link").map(l -> l.substring(l.indexOf('<') + 1, l.indexOf('>'))).orElseThrow();
        assertThat(next).startsWith("/api/me/memberships?");
        Reply rest = user.api().get(next);
        assertThat(rest.jsonArray().getValuesAs(JsonObject.class)).extracting(m -> m.getString("group_id"))
                .isEqualTo(created.subList(50, 53));
        assertThat(rest.header("Link")).isEmpty();
        assertThat(me.json().getJsonArray("memberships").getValuesAs(JsonObject.class)).extracting(m -> m.getString("group_id"))
                .isEqualTo(created.subList(0, 50));

        assertProblem(user.api().get("/api/groups?limit=0"), 400);
        assertProblem(user.api().get("/api/groups?limit=101"), 400);
        assertProblem(user.api().get("/api/groups?cursor_id=" + created.get(0)), 400);
        assertProblem(user.api().get("/api/me/memberships?cursor_created_at=yesterday&cursor_id=" + created.get(0)), 400);
        assertProblem(Api.anonymous().get("/api/me/memberships"), 401);
    }

    @Test
    void creatingAGroupAnswers201WithLocationAndTheWholeGroup() {
        User owner = User.random();
        String ownerId = Fixtures.profileOf(owner);
        Instant end = Instant.parse("2027-01-15T08:00:00Z");

        Reply created = owner.api().post("/api/groups", "{\"name\": \"  Deep work  \", \"description\": \"Mornings\", "
                + "\"end_at\": \"2027-01-15T09:00:00+01:00\", \"timezone\": \"Asia/Kolkata\", \"period\": \"weekly\", "
                + "\"period_target_minutes\": 600}");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonObject group = created.json();
        assertThat(created.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/groups/" + group.getString("id")));
        assertThat(group.keySet()).containsExactlyInAnyOrder("id", "owner_id", "name", "description", "start_at", "end_at",
                "timezone", "period", "period_target_minutes", "declared_time", "status", "member_count", "my_role", "created_at",
                "updated_at");
        assertThat(group.getString("owner_id")).isEqualTo(ownerId);
        assertThat(group.getString("name")).isEqualTo("Deep work");
        assertThat(group.getString("end_at")).isEqualTo(end.toString()).matches(TIMESTAMP);
        assertThat(group.getString("start_at")).matches(TIMESTAMP);
        assertThat(group.getString("timezone")).isEqualTo("Asia/Kolkata");
        assertThat(group.getString("period")).isEqualTo("weekly");
        assertThat(group.getInt("period_target_minutes")).isEqualTo(600);
        assertThat(group.getString("status")).isEqualTo("active");
        assertThat(group.getInt("member_count")).isEqualTo(1);
        assertThat(group.getString("my_role")).isEqualTo("owner");

        assertThat(owner.api().get("/api/groups/" + group.getString("id")).json()).isEqualTo(group);
    }

    @Test
    void defaultsAreNowUtcAndDaily() {
        User owner = User.random();
        JsonObject group = owner.api().post("/api/groups", "{\"name\": \"Defaults\", \"end_at\": \""
                + Instant.now().plus(Duration.ofDays(3)) + "\", \"period_target_minutes\": 30}").json();
        assertThat(group.getString("timezone")).isEqualTo("UTC");
        assertThat(group.getString("period")).isEqualTo("daily");
        assertThat(group.isNull("description")).isTrue();
        assertThat(Instant.parse(group.getString("start_at"))).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
    }

    @Test
    void aGroupStartingLaterIsPending() {
        User owner = User.random();
        Instant start = Instant.now().plus(Duration.ofDays(1));
        JsonObject group = owner.api().post("/api/groups", "{\"name\": \"Later\", \"start_at\": \"" + start + "\", \"end_at\": \""
                + start.plus(Duration.ofDays(7)) + "\", \"period_target_minutes\": 30}").json();
        assertThat(group.getString("status")).isEqualTo("pending");
        assertThat(owner.api().get("/api/groups?status=pending").jsonArray().getValuesAs(JsonObject.class))
                .extracting(g -> g.getString("id")).containsExactly(group.getString("id"));
        assertThat(owner.api().get("/api/groups?status=active").jsonArray()).isEmpty();
    }

    @Test
    void everyCreationRuleIs422NamingItsField() {
        User user = User.random();
        String end = "\"" + Instant.now().plus(Duration.ofDays(3)) + "\"";
        assertInvalid(user.api().post("/api/groups", "{}"), "name", "end_at", "period_target_minutes");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"  \", \"end_at\": " + end + ", \"period_target_minutes\": 30}"), "name");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"" + "n".repeat(101) + "\", \"end_at\": " + end + ", \"period_target_minutes\": 30}"), "name");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"description\": \"" + "d".repeat(1001) + "\", \"end_at\": " + end
                + ", \"period_target_minutes\": 30}"), "description");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": \"2020-01-01T00:00:00Z\", \"start_at\": \"2020-02-01T00:00:00Z\", "
                + "\"period_target_minutes\": 30}"), "end_at");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"start_at\": \"2027-01-01T00:00:00Z\", \"end_at\": \"2028-01-03T00:00:00Z\", "
                + "\"period_target_minutes\": 30}"), "end_at");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": \"tomorrow\", \"period_target_minutes\": 30}"), "end_at");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": " + end + ", \"timezone\": \"Mars/Olympus\", "
                + "\"period_target_minutes\": 30}"), "timezone");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": " + end + ", \"period\": \"monthly\", "
                + "\"period_target_minutes\": 30}"), "period");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": " + end + ", \"period_target_minutes\": 0}"),
                "period_target_minutes");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": " + end + ", \"period_target_minutes\": 1441}"),
                "period_target_minutes");
        assertThat(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": " + end + ", \"period\": \"weekly\", "
                + "\"period_target_minutes\": 10080}").status()).isEqualTo(201);
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": " + end + ", \"period\": \"weekly\", "
                + "\"period_target_minutes\": 10081}"), "period_target_minutes");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": " + end + ", \"period_target_minutes\": 1.5}"),
                "period_target_minutes");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"x\", \"end_at\": " + end + ", \"period_target_minutes\": 30, "
                + "\"status\": \"archived\", \"colour\": 1}"), "status", "colour");
        assertThat(user.api().get("/api/groups").jsonArray()).as("nothing half-written").hasSize(1);
    }

    @Test
    void listingShowsOnlyTheCallersGroupsNewestFirst() {
        User me = User.random();
        User other = User.random();
        String first = Fixtures.group(me).getString("id");
        String second = Fixtures.group(me).getString("id");
        Fixtures.group(other);
        String theirs = Fixtures.group(other).getString("id");
        Fixtures.member(other, theirs, me, "member");

        List<JsonObject> mine = me.api().get("/api/groups").jsonArray().getValuesAs(JsonObject.class);

        assertThat(mine).extracting(g -> g.getString("id")).containsExactly(theirs, second, first);
        assertThat(mine.get(0).getString("my_role")).isEqualTo("member");
        assertThat(mine.get(0).getInt("member_count")).isEqualTo(2);
        assertProblem(me.api().get("/api/groups?status=finished"), 400);
    }

    @Test
    void aGroupOneIsNotInLooksLikeNoGroup() {
        User owner = User.random();
        User stranger = User.random();
        String id = Fixtures.group(owner).getString("id");
        for (String path : List.of("/api/groups/" + id, "/api/groups/" + UUID.randomUUID(), "/api/groups/not-a-uuid")) {
            Reply reply = stranger.api().get(path);
            assertProblem(reply, 404);
        }
        assertThat(stranger.api().get("/api/groups/" + id).json().getString("detail"))
                .isEqualTo(stranger.api().get("/api/groups/" + UUID.randomUUID()).json().getString("detail"));
        for (String customMethod : List.of(":archive", ":clone")) {
            assertProblem(stranger.api().post("/api/groups/" + id + customMethod, null), 404);
        }
        assertProblem(stranger.api().patch("/api/groups/" + id, "{\"name\": \"Mine now\"}"), 404);
        assertProblem(stranger.api().post("/api/groups/" + id + ":invite", "{\"recipient_id\": \"" + Fixtures.profileOf(stranger) + "\"}"), 404);
    }

    @Test
    void customMethodsRouteBesideTheGroup() {
        User owner = User.random();
        String id = Fixtures.group(owner).getString("id");
        assertProblem(owner.api().get("/api/groups/" + id + ":clone"), 405);
        assertProblem(owner.api().post("/api/groups/" + id + ":explode", null), 404);
        assertRefused(Api.anonymous().post("/api/groups/" + id + ":clone", null));
        assertRefused(Api.anonymous().get("/api/groups"));
    }

    @Test
    void ownerAndAdminsChangeTheGroupMembersMayNot() {
        Fixtures.Crew crew = Fixtures.crew();
        User owner = crew.owner();
        User admin = crew.admin();
        User member = crew.member();
        String id = crew.groupId();

        Reply renamed = admin.api().patch("/api/groups/" + id, "{\"name\": \"Renamed\", \"description\": null, \"period_target_minutes\": 90}");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().getString("name")).isEqualTo("Renamed");
        assertThat(renamed.json().getInt("period_target_minutes")).isEqualTo(90);
        assertThat(renamed.json().getString("my_role")).isEqualTo("admin");

        String newEnd = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        Reply extended = owner.api().patch("/api/groups/" + id, "{\"end_at\": \"" + newEnd + "\"}");
        assertThat(extended.json().getString("end_at")).isEqualTo(newEnd);

        assertProblem(member.api().patch("/api/groups/" + id, "{\"name\": \"Mine\"}"), 403);
        assertInvalid(owner.api().patch("/api/groups/" + id, "{\"period_target_minutes\": 2000}"), "period_target_minutes");
        assertInvalid(owner.api().patch("/api/groups/" + id, "{\"name\": \"\"}"), "name");
        assertInvalid(owner.api().patch("/api/groups/" + id, "{\"end_at\": \"2020-01-01T00:00:00Z\"}"), "end_at");
        assertInvalid(owner.api().patch("/api/groups/" + id, "{\"status\": \"archived\", \"timezone\": \"UTC\"}"), "status", "timezone");
        assertThat(owner.api().get("/api/groups/" + id).json().getString("name")).isEqualTo("Renamed");
    }

    @Test
    void onlyTheOwnerEndsAGroupOrBringsItsEndNearerAnAdminMovesItOnlyLater() {
        Fixtures.Crew crew = Fixtures.crew();
        String id = crew.groupId();
        String endBefore = crew.owner().api().get("/api/groups/" + id).json().getString("end_at");

        assertProblem(crew.admin().api().patch("/api/groups/" + id, "{\"end_at\": \"" + Instant.now() + "\"}"), 403);
        assertProblem(crew.admin().api().patch("/api/groups/" + id, "{\"end_at\": \"" + Instant.now().plusSeconds(3) + "\"}"), 403);
        assertProblem(crew.admin().api().patch("/api/groups/" + id, "{\"end_at\": \""
                + Instant.parse(endBefore).minusSeconds(60) + "\"}"), 403);
        assertThat(crew.owner().api().get("/api/groups/" + id).json().getString("end_at"))
                .as("nothing half-written").isEqualTo(endBefore);
        String later = Instant.parse(endBefore).plus(Duration.ofDays(9)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        Reply moved = crew.admin().api().patch("/api/groups/" + id, "{\"end_at\": \"" + later + "\"}");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().getString("end_at")).isEqualTo(later);
        assertThat(crew.admin().api().patch("/api/groups/" + id, "{\"name\": \"Same end\"}").status())
                .as("an admin's change that leaves the end alone").isEqualTo(200);

        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        Reply ended = crew.owner().api().patch("/api/groups/" + id, "{\"end_at\": \"" + now + "\"}");
        assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
        assertThat(ended.json().getString("end_at")).isEqualTo(now);
    }

    @Test
    void onlyTheOwnerArchivesAndAnArchivedGroupTakesNoWrites() {
        User owner = User.random();
        User admin = User.random();
        User outsider = User.random();
        String id = Fixtures.group(owner).getString("id");
        Fixtures.member(owner, id, admin, "admin");

        assertProblem(admin.api().post("/api/groups/" + id + ":archive", null), 403);
        Reply archived = owner.api().post("/api/groups/" + id + ":archive", null);
        assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
        assertThat(archived.json().getString("status")).isEqualTo("archived");

        assertProblem(owner.api().post("/api/groups/" + id + ":archive", null), 409);
        assertProblem(owner.api().patch("/api/groups/" + id, "{\"name\": \"Again\"}"), 409);
        assertProblem(owner.api().post("/api/groups/" + id + "/members", "{\"user_id\": \"" + Fixtures.profileOf(outsider) + "\"}"), 409);
        assertProblem(owner.api().post("/api/groups/" + id + ":invite", "{\"recipient_id\": \"" + Fixtures.profileOf(outsider) + "\"}"), 409);
        assertProblem(owner.api().patch("/api/groups/" + id + "/members/" + Fixtures.profileOf(admin),
                "{\"override_period_target_minutes\": 10}"), 409);
        assertProblem(admin.api().delete("/api/groups/" + id + "/members/" + Fixtures.profileOf(admin)), 409);
        assertThat(owner.api().get("/api/groups?status=archived").jsonArray()).hasSize(1);
    }

    @Test
    void anyMemberClonesEvenAnArchivedGroupAndOnlyTheOwnersCloneCopiesTheMembers() {
        User owner = User.random();
        User member = User.random();
        JsonObject original = Fixtures.group(owner);
        String id = original.getString("id");
        Fixtures.member(owner, id, member, "member");
        Fixtures.archive(owner, id);

        Reply cloned = member.api().post("/api/groups/" + id + ":clone", null);

        assertThat(cloned.status()).as(cloned.toString()).isEqualTo(201);
        JsonObject copy = cloned.json();
        assertThat(cloned.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/groups/" + copy.getString("id")));
        assertThat(copy.getString("id")).isNotEqualTo(id);
        assertThat(copy.getString("status")).isEqualTo("active");
        assertThat(copy.getString("my_role")).isEqualTo("owner");
        assertThat(copy.getString("owner_id")).isEqualTo(Fixtures.profileOf(member));
        assertThat(copy.getString("name")).isEqualTo(original.getString("name"));
        assertThat(copy.getInt("member_count")).as("a plain member's clone puts nobody else in it").isEqualTo(1);
        Duration length = Duration.between(Instant.parse(original.getString("start_at")), Instant.parse(original.getString("end_at")));
        // as long as the original (timestamps are shown to the millisecond)
        assertThat(Duration.between(Instant.parse(copy.getString("start_at")), Instant.parse(copy.getString("end_at"))))
                .isCloseTo(length, Duration.ofMillis(2));
        assertProblem(owner.api().get("/api/groups/" + copy.getString("id")), 404);
        // the others are invited instead
        JsonObject invite = owner.api().get("/api/notifications").jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(n -> n.getString("kind").equals("group_invite") && n.getString("group_id").equals(copy.getString("id")))
                .findFirst().orElseThrow();
        assertThat(invite.getString("actor_id")).isEqualTo(Fixtures.profileOf(member));
        Reply accepted = owner.api().post("/api/invites/" + invite.getString("id") + ":accept", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(owner.api().get("/api/groups/" + copy.getString("id")).json().getString("my_role")).isEqualTo("member");

        // the owner's clone copies the members with their roles
        Reply ownersClone = owner.api().post("/api/groups/" + copy.getString("id") + ":clone", null);
        assertThat(ownersClone.status()).as(ownersClone.toString()).isEqualTo(201);
        assertThat(ownersClone.json().getInt("member_count")).isEqualTo(1);
        Reply membersOwnClone = member.api().post("/api/groups/" + copy.getString("id") + ":clone", null);
        assertThat(membersOwnClone.json().getInt("member_count")).as("the member owns the copy: its members come along").isEqualTo(2);
        assertThat(owner.api().get("/api/groups/" + membersOwnClone.json().getString("id")).json().getString("my_role")).isEqualTo("member");
    }

    @Test
    void aGroupsStatusIsTheSameWhereverItIsReadByTheDatabasesClock() {
        User owner = User.random();
        Instant start = Instant.now().plusSeconds(2);
        Reply created = owner.api().post("/api/groups", "{\"name\": \"Soon\", \"start_at\": \"" + start + "\", "
                + "\"end_at\": \"" + start.plus(Duration.ofDays(1)) + "\", \"period_target_minutes\": 30}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().getString("id");
        assertThat(created.json().getString("status")).isEqualTo("pending");
        assertThat(statusOnMe(owner, id)).isEqualTo("pending");
        assertThat(owner.api().get("/api/groups?status=pending").jsonArray().getValuesAs(JsonObject.class))
                .extracting(g -> g.getString("id")).contains(id);

        // once the start has come, before or after the archival job promotes the row, every read says active
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(owner.api().get("/api/groups/" + id).json().getString("status")).isEqualTo("active"));
        assertThat(statusOnMe(owner, id)).isEqualTo("active");
        assertThat(owner.api().get("/api/groups?status=active").jsonArray().getValuesAs(JsonObject.class))
                .extracting(g -> g.getString("id")).contains(id);
        assertThat(owner.api().get("/api/groups?status=pending").jsonArray().getValuesAs(JsonObject.class))
                .extracting(g -> g.getString("id")).doesNotContain(id);
    }

    private static String statusOnMe(User user, String groupId) {
        return user.api().get("/api/me").json().getJsonArray("memberships").getValuesAs(JsonObject.class).stream()
                .filter(m -> m.getString("group_id").equals(groupId))
                .findFirst().orElseThrow()
                .getString("status");
    }

    @Test
    void aGroupIsChangedByAJsonMergePatch() {
        User owner = User.random();
        String id = Fixtures.group(owner).getString("id");
        owner.api().patch("/api/groups/" + id, "{\"description\": \"about\"}");

        Reply patched = owner.api().send("PATCH", "/api/groups/" + id, "application/merge-patch+json",
                "{\"name\": \" Renamed \", \"description\": null}");

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().getString("name")).isEqualTo("Renamed");
        assertThat(patched.json().isNull("description")).as("null clears").isTrue();
        assertThat(patched.json().getInt("period_target_minutes")).as("absent stays").isEqualTo(60);
        assertInvalid(owner.api().patch("/api/groups/" + id, "{\"name\": null}"), "name");
        assertInvalid(owner.api().patch("/api/groups/" + id, "[]"), "body");
    }
}
