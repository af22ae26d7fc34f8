package app.lockin.groups;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Fixtures;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/** /api/groups/{id}/members: the authorization matrix of adding, changing, removing and leaving. */
@LockinServer
class MembersIT {

    private static String members(String groupId) {
        return "/api/groups/" + groupId + "/members";
    }

    @Test
    void membersAreListedByJoinTimeWithTheirProfiles() {
        User owner = User.random();
        User member = User.random();
        String id = Fixtures.group(owner).getString("id");
        member.api().patch("/api/me", "{\"display_name\": \"Marie\"}");
        JsonObject added = Fixtures.member(owner, id, member, "member");

        assertThat(added.keySet()).containsExactlyInAnyOrder("user_id", "display_name", "avatar_url", "role",
                "override_period_target_minutes", "joined_at", "streak", "best_streak", "hidden_from_leaderboard");
        assertThat(added.getString("display_name")).isEqualTo("Marie");
        assertThat(added.isNull("override_period_target_minutes")).isTrue();

        List<JsonObject> list = member.api().get(members(id)).jsonArray().getValuesAs(JsonObject.class);
        assertThat(list).extracting(m -> m.getString("role")).containsExactly("owner", "member");
        assertThat(list.get(1).getString("user_id")).isEqualTo(Fixtures.profileOf(member));
        assertProblem(User.random().api().get(members(id)), 404);
    }

    @Test
    void addingNeedsOwnerOrAdminAndAdminsOnlyByTheOwner() {
        User owner = User.random();
        User admin = User.random();
        User member = User.random();
        String id = Fixtures.group(owner).getString("id");
        Fixtures.member(owner, id, admin, "admin");
        Fixtures.member(admin, id, member, "member");

        String newcomer = Fixtures.profileOf(User.random());
        assertProblem(member.api().post(members(id), "{\"user_id\": \"" + newcomer + "\"}"), 403);
        assertProblem(admin.api().post(members(id), "{\"user_id\": \"" + newcomer + "\", \"role\": \"admin\"}"), 403);
        assertInvalid(owner.api().post(members(id), "{\"user_id\": \"" + newcomer + "\", \"role\": \"owner\"}"), "role");
        assertInvalid(owner.api().post(members(id), "{}"), "user_id");
        assertInvalid(owner.api().post(members(id), "{\"user_id\": \"nope\", \"role\": \"boss\"}"), "user_id", "role");
        assertProblem(owner.api().post(members(id), "{\"user_id\": \"" + UUID.randomUUID() + "\"}"), 404);

        Reply added = admin.api().post(members(id), "{\"user_id\": \"" + newcomer + "\"}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(members(id) + "/" + newcomer));
        assertProblem(owner.api().post(members(id), "{\"user_id\": \"" + newcomer + "\"}"), 409);
    }

    @Test
    void targetsAndRolesFollowTheMatrix() {
        User owner = User.random();
        User admin = User.random();
        User otherAdmin = User.random();
        User member = User.random();
        String id = Fixtures.group(owner).getString("id");
        Fixtures.member(owner, id, admin, "admin");
        Fixtures.member(owner, id, otherAdmin, "admin");
        Fixtures.member(owner, id, member, "member");
        String ownerId = Fixtures.profileOf(owner);
        String memberId = Fixtures.profileOf(member);
        String otherAdminId = Fixtures.profileOf(otherAdmin);

        Reply set = admin.api().patch(members(id) + "/" + memberId, "{\"override_period_target_minutes\": 45}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().getInt("override_period_target_minutes")).isEqualTo(45);
        Reply cleared = admin.api().patch(members(id) + "/" + memberId, "{\"override_period_target_minutes\": null}");
        assertThat(cleared.json().isNull("override_period_target_minutes")).isTrue();
        assertThat(admin.api().patch(members(id) + "/" + Fixtures.profileOf(admin), "{\"override_period_target_minutes\": 20}").status())
                .as("an admin sets their own target").isEqualTo(200);

        assertProblem(admin.api().patch(members(id) + "/" + ownerId, "{\"override_period_target_minutes\": 10}"), 403);
        assertProblem(admin.api().patch(members(id) + "/" + otherAdminId, "{\"override_period_target_minutes\": 10}"), 403);
        assertProblem(admin.api().patch(members(id) + "/" + memberId, "{\"role\": \"admin\"}"), 403);
        assertProblem(member.api().patch(members(id) + "/" + memberId, "{\"override_period_target_minutes\": 10}"), 403);
        assertProblem(owner.api().patch(members(id) + "/" + UUID.randomUUID(), "{\"override_period_target_minutes\": 10}"), 404);
        assertInvalid(owner.api().patch(members(id) + "/" + memberId, "{\"override_period_target_minutes\": 0}"), "override_period_target_minutes");
        assertInvalid(owner.api().patch(members(id) + "/" + memberId, "{\"override_period_target_minutes\": 1441}"), "override_period_target_minutes");
        assertInvalid(owner.api().patch(members(id) + "/" + memberId, "{\"role\": \"king\", \"joined_at\": \"x\"}"), "role", "joined_at");
        assertProblem(owner.api().patch(members(id) + "/" + ownerId, "{\"role\": \"admin\"}"), 409);

        Reply promoted = owner.api().patch(members(id) + "/" + memberId, "{\"role\": \"admin\"}");
        assertThat(promoted.json().getString("role")).isEqualTo("admin");
    }

    @Test
    void theOwnerTransfersOwnership() {
        User owner = User.random();
        User successor = User.random();
        String id = Fixtures.group(owner).getString("id");
        Fixtures.member(owner, id, successor, "member");

        Reply transferred = owner.api().patch(members(id) + "/" + Fixtures.profileOf(successor), "{\"role\": \"owner\"}");

        assertThat(transferred.status()).as(transferred.toString()).isEqualTo(200);
        assertThat(transferred.json().getString("role")).isEqualTo("owner");
        JsonObject group = successor.api().get("/api/groups/" + id).json();
        assertThat(group.getString("owner_id")).isEqualTo(Fixtures.profileOf(successor));
        assertThat(owner.api().get("/api/groups/" + id).json().getString("my_role")).isEqualTo("admin");
        assertThat(owner.api().delete(members(id) + "/" + Fixtures.profileOf(owner)).status()).as("now free to leave").isEqualTo(204);
    }

    @Test
    void removingAndLeavingFollowTheMatrix() {
        User owner = User.random();
        User admin = User.random();
        User otherAdmin = User.random();
        User member = User.random();
        User leaver = User.random();
        String id = Fixtures.group(owner).getString("id");
        Fixtures.member(owner, id, admin, "admin");
        Fixtures.member(owner, id, otherAdmin, "admin");
        Fixtures.member(owner, id, member, "member");
        Fixtures.member(owner, id, leaver, "member");

        assertProblem(owner.api().delete(members(id) + "/" + Fixtures.profileOf(owner)), 409);
        assertProblem(admin.api().delete(members(id) + "/" + Fixtures.profileOf(owner)), 403);
        assertProblem(admin.api().delete(members(id) + "/" + Fixtures.profileOf(otherAdmin)), 403);
        assertProblem(member.api().delete(members(id) + "/" + Fixtures.profileOf(leaver)), 403);
        assertProblem(admin.api().delete(members(id) + "/" + UUID.randomUUID()), 404);
        assertProblem(User.random().api().delete(members(id) + "/" + Fixtures.profileOf(member)), 404);

        assertThat(leaver.api().delete(members(id) + "/" + Fixtures.profileOf(leaver)).status()).isEqualTo(204);
        assertThat(admin.api().delete(members(id) + "/" + Fixtures.profileOf(member)).status()).isEqualTo(204);
        assertThat(owner.api().delete(members(id) + "/" + Fixtures.profileOf(otherAdmin)).status()).isEqualTo(204);
        assertProblem(member.api().get("/api/groups/" + id), 404);
        assertThat(owner.api().get(members(id)).jsonArray()).hasSize(2);
    }

    @Test
    void racingRemovalsEndConsistently() {
        Fixtures.Crew crew = Fixtures.crew();
        User owner = crew.owner();
        User admin = crew.admin();
        User member = crew.member();
        String id = crew.groupId();
        String memberId = Fixtures.profileOf(member);

        // the owner demotes the admin while the admin removes a member, and the member leaves
        var demote = CompletableFuture.supplyAsync(() -> owner.api().patch(members(id) + "/" + Fixtures.profileOf(admin), "{\"role\": \"member\"}"));
        var remove = CompletableFuture.supplyAsync(() -> admin.api().delete(members(id) + "/" + memberId));
        var leave = CompletableFuture.supplyAsync(() -> member.api().delete(members(id) + "/" + memberId));

        assertThat(demote.join().status()).isEqualTo(200);
        assertThat(List.of(remove.join().status(), leave.join().status())).allSatisfy(s -> assertThat(s).isIn(204, 403, 404))
                .contains(204);
        List<JsonObject> left = owner.api().get(members(id)).jsonArray().getValuesAs(JsonObject.class);
        assertThat(left).extracting(m -> m.getString("role")).containsExactly("owner", "member");
    }

    @Test
    void theLocationOfAnAddedMemberIsReadableByMembersOnly() {
        User owner = User.random();
        User member = User.random();
        String id = Fixtures.group(owner).getString("id");

        Reply added = owner.api().post(members(id), "{\"user_id\": \"" + Fixtures.profileOf(member) + "\"}");

        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String location = added.header("Location").orElseThrow();
        assertThat(location).endsWith(members(id) + "/" + Fixtures.profileOf(member));
        Reply read = member.api().get(location.substring(location.indexOf("/api/")));
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(added.json());
        assertProblem(User.random().api().get(location.substring(location.indexOf("/api/"))), 404);
        assertProblem(owner.api().get(members(id) + "/" + Fixtures.profileOf(User.random())), 404);
    }

    @Test
    void aMemberIsChangedByAJsonMergePatch() {
        User owner = User.random();
        User member = User.random();
        String id = Fixtures.group(owner).getString("id");
        Fixtures.member(owner, id, member, "member");
        String path = members(id) + "/" + Fixtures.profileOf(member);

        Reply set = owner.api().send("PATCH", path, "application/merge-patch+json", "{\"override_period_target_minutes\": 45}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().getInt("override_period_target_minutes")).isEqualTo(45);
        assertThat(set.json().getString("role")).as("absent: unchanged").isEqualTo("member");

        Reply cleared = owner.api().send("PATCH", path, "application/merge-patch+json", "{\"override_period_target_minutes\": null}");
        assertThat(cleared.json().isNull("override_period_target_minutes")).as("null: the group's target again").isTrue();
        assertInvalid(owner.api().patch(path, "{\"override_period_target_minutes\": 1441}"), "override_period_target_minutes");
        assertInvalid(owner.api().patch(path, "{\"joined_at\": \"2026-01-01T00:00:00Z\", \"colour\": 1}"), "joined_at", "colour");
    }
}
