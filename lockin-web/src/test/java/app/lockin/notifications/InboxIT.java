package app.lockin.notifications;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/** Invites, the inbox with keyset pages, marking read, answering invites. */
@LockinServer
class InboxIT {

    private static Reply invite(User inviter, String groupId, String body) {
        return inviter.api().post("/api/groups/" + groupId + ":invite", body);
    }

    private static JsonObject inviteById(User inviter, String groupId, User recipient) {
        Reply reply = invite(inviter, groupId, "{\"recipient_id\": \"" + Fixtures.profileOf(recipient) + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    @Test
    void anInviteArrivesInTheRecipientsInboxAndAcceptingMakesAMember() {
        User owner = User.random();
        User friend = User.random();
        JsonObject group = Fixtures.group(owner);
        String id = group.getString("id");

        Reply sent = invite(owner, id, "{\"recipient_id\": \"" + Fixtures.profileOf(friend) + "\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        JsonObject invite = sent.json();
        assertThat(invite.keySet()).containsExactlyInAnyOrder("id", "kind", "status", "title", "body", "group_id", "actor_id",
                "created_at", "read_at");
        assertThat(invite.getString("kind")).isEqualTo("group_invite");
        assertThat(invite.getString("status")).isEqualTo("pending");
        assertThat(invite.getString("group_id")).isEqualTo(id);
        assertThat(invite.getString("actor_id")).isEqualTo(Fixtures.profileOf(owner));
        assertThat(invite.getString("title")).contains(group.getString("name"));
        assertThat(invite.isNull("read_at")).isTrue();
        String location = sent.header("Location").orElseThrow();
        assertThat(location).endsWith("/api/notifications/" + invite.getString("id"));
        assertThat(friend.api().get(URI.create(location).getPath()).json()).isEqualTo(invite);
        assertProblem(owner.api().get(URI.create(location).getPath()), 404);

        List<JsonObject> inbox = friend.api().get("/api/notifications").jsonArray().getValuesAs(JsonObject.class);
        assertThat(inbox).extracting(n -> n.getString("id")).containsExactly(invite.getString("id"));

        Reply accepted = friend.api().post("/api/invites/" + invite.getString("id") + ":accept", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().getString("user_id")).isEqualTo(Fixtures.profileOf(friend));
        assertThat(accepted.json().getString("role")).isEqualTo("member");
        assertThat(friend.api().get("/api/groups/" + id).json().getString("my_role")).isEqualTo("member");
        JsonObject answered = friend.api().get("/api/notifications/" + invite.getString("id")).json();
        assertThat(answered.getString("status")).isEqualTo("accepted");
        assertThat(answered.isNull("read_at")).isFalse();
        assertThat(friend.api().get("/api/me").json().getJsonArray("memberships")).hasSize(1);

        assertProblem(friend.api().post("/api/invites/" + invite.getString("id") + ":accept", null), 409);
        assertProblem(friend.api().post("/api/invites/" + invite.getString("id") + ":decline", null), 409);
    }

    @Test
    void invitesByEmailIgnoreCase() {
        User owner = User.random();
        User friend = User.random();
        String email = friend.username() + "@Example.org";
        var mint = TestEnvironment.mint();
        Api.withToken(mint.sign(mint.id(friend.subject(), friend.username(), email, null, java.time.Duration.ofMinutes(5)).build()))
                .get("/api/me");
        String id = Fixtures.group(owner).getString("id");

        Reply sent = invite(owner, id, "{\"email\": \"" + email.toUpperCase() + "\"}");

        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    }

    @Test
    void anInviteByEmailAnswersTheSameWhateverTheAddressAndWaitsForItsSignUp() {
        User owner = User.random();
        User known = User.random();
        String knownEmail = known.username() + "@example.org";
        var mint = TestEnvironment.mint();
        Api.withToken(mint.sign(mint.id(known.subject(), known.username(), knownEmail, null, java.time.Duration.ofMinutes(5)).build()))
                .get("/api/me");
        String id = Fixtures.group(owner).getString("id");

        Reply toAccount = invite(owner, id, "{\"email\": \"" + knownEmail + "\"}");
        User newcomer = User.random();
        String newEmail = "Newcomer-" + newcomer.username() + "@example.org";
        Reply toNobody = invite(owner, id, "{\"email\": \"" + newEmail + "\"}");
        assertThat(toNobody.status()).as(toNobody.toString()).isEqualTo(toAccount.status()).isEqualTo(201);
        assertThat(toNobody.json().keySet()).isEqualTo(toAccount.json().keySet());
        for (String same : List.of("kind", "status", "title", "body", "group_id", "actor_id", "read_at")) {
            assertThat(toNobody.json().get(same)).as(same).isEqualTo(toAccount.json().get(same));
        }
        assertThat(toNobody.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/notifications/" + toNobody.json().getString("id")));
        // invited before, with or without an account, or a member already: the same answer again (nothing new sent)
        User member = User.random();
        String membersEmail = member.username() + "@example.org";
        Api.withToken(mint.sign(mint.id(member.subject(), member.username(), membersEmail, null, java.time.Duration.ofMinutes(5)).build()))
                .get("/api/me");
        Fixtures.member(owner, id, member, "member");
        for (String again : List.of(newEmail.toLowerCase(), knownEmail, membersEmail)) {
            Reply repeated = invite(owner, id, "{\"email\": \"" + again + "\"}");
            assertThat(repeated.status()).as(repeated.toString()).isEqualTo(201);
            assertThat(repeated.json().keySet()).isEqualTo(toAccount.json().keySet());
            for (String same : List.of("kind", "status", "title", "body", "group_id", "actor_id", "read_at")) {
                assertThat(repeated.json().get(same)).as(again + ": " + same).isEqualTo(toAccount.json().get(same));
            }
        }
        assertThat(member.api().get("/api/notifications").jsonArray()).as("a member gets no invite").isEmpty();
        assertThat(known.api().get("/api/notifications").jsonArray()).as("one invite, not two").hasSize(1);

        // the address signs up (verified): the invite is in their inbox, under the id answered, and can be accepted
        Api newcomers = Api.withToken(mint.sign(mint.id(newcomer.subject(), newcomer.username(), newEmail.toUpperCase(), null,
                java.time.Duration.ofMinutes(5)).build()));
        assertThat(newcomers.get("/api/me").status()).isEqualTo(200);
        Reply inbox = newcomers.get("/api/notifications");
        assertThat(inbox.jsonArray()).hasSize(1);
        JsonObject delivered = inbox.jsonArray().getJsonObject(0);
        assertThat(delivered.getString("id")).isEqualTo(toNobody.json().getString("id"));
        assertThat(delivered.getString("title")).isEqualTo(toNobody.json().getString("title"));
        Reply accepted = newcomers.post("/api/invites/" + delivered.getString("id") + ":accept", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);

        // an archived group's invites neither wait nor are delivered
        Fixtures.archive(owner, id);
        assertProblem(invite(owner, id, "{\"email\": \"later-" + UUID.randomUUID() + "@example.org\"}"), 409);
    }

    @Test
    void inviteRulesAndWhoMayInvite() {
        Fixtures.Crew crew = Fixtures.crew();
        User owner = crew.owner();
        User admin = crew.admin();
        User member = crew.member();
        User friend = User.random();
        String id = crew.groupId();
        String friendId = Fixtures.profileOf(friend);

        assertProblem(invite(member, id, "{\"recipient_id\": \"" + friendId + "\"}"), 403);
        assertInvalid(invite(owner, id, "{}"), "recipient_id");
        assertInvalid(invite(owner, id, "{\"recipient_id\": \"" + friendId + "\", \"email\": \"a@b.c\"}"), "email");
        assertInvalid(invite(owner, id, "{\"email\": \"not-an-address\"}"), "email");
        // the address's length is the database's rule (email_invites), worded by its constraint's comment
        Reply tooLong = invite(owner, id, "{\"email\": \"" + "a".repeat(315) + "@b.com\"}");
        assertInvalid(tooLong, "email");
        assertThat(tooLong.json().getJsonArray("errors").getJsonObject(0).getString("message"))
                .isEqualTo("must be an email address of at most 320 characters");
        assertInvalid(invite(owner, id, "{\"recipient_id\": 42, \"kind\": \"generic\"}"), "recipient_id", "kind");
        assertProblem(invite(owner, id, "{\"recipient_id\": \"" + UUID.randomUUID() + "\"}"), 404);
        assertProblem(invite(owner, id, "{\"recipient_id\": \"" + Fixtures.profileOf(member) + "\"}"), 409);

        assertThat(invite(admin, id, "{\"recipient_id\": \"" + friendId + "\"}").status()).isEqualTo(201);
        assertProblem(invite(owner, id, "{\"recipient_id\": \"" + friendId + "\"}"), 409);
    }

    @Test
    void onlyTheRecipientAnswersAndDecliningIsFinal() {
        User owner = User.random();
        User friend = User.random();
        String id = Fixtures.group(owner).getString("id");
        String inviteId = inviteById(owner, id, friend).getString("id");

        assertProblem(owner.api().post("/api/invites/" + inviteId + ":accept", null), 404);
        assertProblem(User.random().api().post("/api/invites/" + inviteId + ":decline", null), 404);
        assertProblem(friend.api().post("/api/invites/" + UUID.randomUUID() + ":accept", null), 404);

        Reply declined = friend.api().post("/api/invites/" + inviteId + ":decline", null);
        assertThat(declined.status()).isEqualTo(200);
        assertThat(declined.json().getString("status")).isEqualTo("declined");
        assertProblem(friend.api().post("/api/invites/" + inviteId + ":accept", null), 409);
        assertProblem(friend.api().get("/api/groups/" + id), 404);
        assertThat(invite(owner, id, "{\"recipient_id\": \"" + Fixtures.profileOf(friend) + "\"}").status())
                .as("a declined invite can be sent again").isEqualTo(201);
    }

    @Test
    void anInviteToAGroupArchivedSinceCannotBeAccepted() {
        User owner = User.random();
        User friend = User.random();
        String id = Fixtures.group(owner).getString("id");
        String inviteId = inviteById(owner, id, friend).getString("id");
        Fixtures.archive(owner, id);

        assertProblem(friend.api().post("/api/invites/" + inviteId + ":accept", null), 409);
        assertThat(friend.api().get("/api/notifications/" + inviteId).json().getString("status")).isEqualTo("pending");
        assertThat(friend.api().post("/api/invites/" + inviteId + ":decline", null).status()).isEqualTo(200);
    }

    @Test
    void acceptingTwiceAtOnceMakesOneMember() {
        User owner = User.random();
        User friend = User.random();
        String id = Fixtures.group(owner).getString("id");
        String inviteId = inviteById(owner, id, friend).getString("id");

        List<CompletableFuture<Reply>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> friend.api().post("/api/invites/" + inviteId + ":accept", null)));
        }
        List<Integer> statuses = answers.stream().map(CompletableFuture::join).map(Reply::status).toList();

        assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 409);
        assertThat(owner.api().get("/api/groups/" + id + "/members").jsonArray()).hasSize(2);
    }

    @Test
    void keysetPagesReturnEveryNotificationOnceNewestFirst() {
        User me = User.random();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            User owner = User.random();
            sent.add(0, inviteById(owner, Fixtures.group(owner).getString("id"), me).getString("id"));
        }

        List<String> seen = new ArrayList<>();
        String next = "/api/notifications?limit=3";
        int pages = 0;
        while (next != null) {
            Reply page = me.api().get(next);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.jsonArray().getValuesAs(JsonObject.class).forEach(n -> seen.add(n.getString("id")));
            next = page.header("Link").map(InboxIT::nextOf).orElse(null);
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(sent);

        // the client's own cursor, taken from the last item seen
        List<JsonObject> first = me.api().get("/api/notifications?limit=2").jsonArray().getValuesAs(JsonObject.class);
        JsonObject last = first.get(1);
        List<JsonObject> after = me.api().get("/api/notifications?limit=100&cursor_created_at=" + last.getString("created_at")
                + "&cursor_id=" + last.getString("id")).jsonArray().getValuesAs(JsonObject.class);
        assertThat(after).extracting(n -> n.getString("id")).containsExactlyElementsOf(sent.subList(2, 7));
    }

    private static String nextOf(String link) {
        assertThat(link).contains("rel=\"next\"");
        return URI.create(link.substring(link.indexOf('<') + 1, link.indexOf('>'))).toString();
    }

    @Test
    void unreadFilterAndMarkingRead() {
        User me = User.random();
        User owner = User.random();
        String first = inviteById(owner, Fixtures.group(owner).getString("id"), me).getString("id");
        String second = inviteById(owner, Fixtures.group(owner).getString("id"), me).getString("id");

        Reply read = me.api().post("/api/notifications/" + first + ":read", null);
        assertThat(read.status()).isEqualTo(200);
        String readAt = read.json().getString("read_at");
        assertThat(read.json().getString("status")).as("an invite stays open to answer").isEqualTo("pending");
        Reply again = me.api().post("/api/notifications/" + first + ":read", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("read_at")).isEqualTo(readAt);

        assertThat(me.api().get("/api/notifications?unread=true").jsonArray().getValuesAs(JsonObject.class))
                .extracting(n -> n.getString("id")).containsExactly(second);
        assertProblem(owner.api().post("/api/notifications/" + second + ":read", null), 404);
        assertProblem(me.api().post("/api/notifications/" + UUID.randomUUID() + ":read", null), 404);
    }

    @Test
    void badPageParametersAre400() {
        User me = User.random();
        assertProblem(me.api().get("/api/notifications?limit=0"), 400);
        assertProblem(me.api().get("/api/notifications?limit=101"), 400);
        assertProblem(me.api().get("/api/notifications?limit=ten"), 400);
        assertProblem(me.api().get("/api/notifications?unread=maybe"), 400);
        assertProblem(me.api().get("/api/notifications?cursor_id=" + UUID.randomUUID()), 400);
        assertProblem(me.api().get("/api/notifications?cursor_created_at=yesterday&cursor_id=" + UUID.randomUUID()), 400);
        assertThat(me.api().get("/api/notifications?limit=100").status()).isEqualTo(200);
        assertRefused(Api.anonymous().get("/api/notifications"));
    }
}
