package app.lockin.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

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
 * DELETE /api/me (DOMAIN.md "A person's data", erasure): immediate and
 * irreversible, anonymising rather than falsifying history. Past time is
 * seeded straight into the database, as in HistoryIT; everything else goes
 * through the API, and what is left is checked in every table.
 */
@LockinServer
class ErasureIT {

    private static final Sql SQL = TestEnvironment.sql();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final HttpClient STORAGE = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    // ------------------------------------------------------------------ set-up

    private static String groupSince(User owner, Instant start) throws Exception {
        Reply created = owner.api().post("/api/groups", "{\"name\": \"Erasure\", \"start_at\": \"" + start
                + "\", \"end_at\": \"" + Instant.now().plus(Duration.ofDays(10)) + "\", \"timezone\": \"Europe/Paris\","
                + " \"period\": \"daily\", \"period_target_minutes\": 30}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().getString("id");
        PastTime.joinedAt(id, owner, start);
        return id;
    }




    private static Instant local(LocalDate day, int hour, int minute) {
        return day.atTime(LocalTime.of(hour, minute)).atZone(PARIS).toInstant();
    }

    /** A name no other test uses, so that finding it anywhere means it was left behind. */
    private static String uniqueName() {
        return "Erin " + UUID.randomUUID().toString().substring(0, 13);
    }

    private static void named(User user, String name) {
        Reply renamed = user.api().patch("/api/me", "{\"display_name\": \"" + name + "\"}");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    }

    private static void erased(User user) {
        Reply erased = user.api().delete("/api/me");
        assertThat(erased.status()).as(erased.toString()).isEqualTo(204);
    }



    private static JsonObject periodOf(User user, String groupId, Instant start) {
        Reply reply = user.api().get("/api/groups/" + groupId + "/history?limit=10");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(p -> Instant.parse(p.getString("period_start")).equals(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no period starting " + start + " in " + reply));
    }

    private static JsonObject entryOf(List<JsonObject> entries, String userId) {
        return entries.stream().filter(e -> !e.isNull("user_id") && e.getString("user_id").equals(userId)).findFirst()
                .orElseThrow(() -> new AssertionError(userId + " is not in " + entries));
    }

    private static List<JsonObject> anonymous(List<JsonObject> entries) {
        return entries.stream().filter(e -> e.isNull("user_id")).toList();
    }

    // ------------------------------------------------------------------ the account

    @Test
    void erasureIs204AndTheSameSubjectThenStartsANewEmptyProfile() throws Exception {
        User user = User.random();
        String before = Fixtures.profileOf(user);
        named(user, uniqueName());
        Fixtures.group(user);

        erased(user);

        assertThat(SQL.count("select count(*) from profiles where id = ?::uuid", before)).isZero();
        assertThat(SQL.count("select count(*) from auth_identities where subject = ?", user.subject()))
                .as("not until the subject signs in again").isZero();
        Reply again = user.api().get("/api/me");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().getString("id")).isNotEqualTo(before);
        assertThat(again.json().getString("display_name")).isEqualTo(user.username());
        assertThat(again.json().getJsonArray("memberships")).isEmpty();
        assertThat(user.api().get("/api/notifications").jsonArray()).isEmpty();
    }

    @Test
    void withoutATokenItIs401() {
        Reply reply = Api.anonymous().delete("/api/me");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    }

    @Test
    void anOwnerOfAGroupWithOthersGets409ListingItAndCanEraseAfterHandingItOver() throws Exception {
        Fixtures.Crew crew = Fixtures.crew();
        String ownGroupAlone = Fixtures.group(crew.owner()).getString("id");
        String owner = Fixtures.profileOf(crew.owner());

        Reply refused = crew.owner().api().delete("/api/me");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().getJsonArray("owned_groups").getValuesAs(JsonString.class))
                .extracting(JsonString::getString).containsExactly(crew.groupId());
        assertThat(refused.json().getString("detail")).contains("ownership");
        assertThat(SQL.count("select count(*) from profiles where id = ?::uuid", owner)).as("nothing erased").isOne();
        assertThat(SQL.value("select status::text from groups where id = ?::uuid", ownGroupAlone)).isEqualTo("active");

        Reply handed = crew.owner().api().patch("/api/groups/" + crew.groupId() + "/members/" + Fixtures.profileOf(crew.admin()),
                "{\"role\": \"owner\"}");
        assertThat(handed.status()).as(handed.toString()).isEqualTo(200);
        erased(crew.owner());

        assertThat(SQL.count("select count(*) from profiles where id = ?::uuid", owner)).isZero();
        Reply members = crew.admin().api().get("/api/groups/" + crew.groupId() + "/members");
        assertThat(members.jsonArray().getValuesAs(JsonObject.class)).extracting(m -> m.getString("user_id"))
                .containsExactlyInAnyOrder(Fixtures.profileOf(crew.admin()), Fixtures.profileOf(crew.member()));
    }

    @Test
    void groupsOwnedAloneAreArchived() throws Exception {
        User user = User.random();
        String alone = Fixtures.group(user).getString("id");
        String session = Focus.session(user, alone);
        Focus.ok(Focus.act(user, session, "start"));

        erased(user);

        assertThat(SQL.value("select status::text from groups where id = ?::uuid", alone)).isEqualTo("archived");
        assertThat(SQL.value("select status::text from sessions where id = ?::uuid", session)).isEqualTo("ended");
        assertThat(SQL.count("select count(*) from time_logs where ended_at is null and group_id = ?::uuid", alone)).isZero();
    }

    // ------------------------------------------------------------------ history is anonymised, not falsified

    @Test
    void pastBoardsAndHistoryKeepTheirTimeAsAFormerMemberAndOthersHistoryDoesNotChange() throws Exception {
        User owner = User.random();
        User leaver = User.random();
        User other = User.random();
        LocalDate today = LocalDate.now(PARIS);
        String group = groupSince(owner, local(today.minusDays(5), 0, 0));
        PastTime.join(owner, group, leaver, local(today.minusDays(5), 0, 0));
        PastTime.join(owner, group, other, local(today.minusDays(5), 0, 0));
        LocalDate day = today.minusDays(2);
        PastTime.logged(group, leaver, local(day.minusDays(1), 9, 0), local(day.minusDays(1), 9, 40));
        PastTime.logged(group, leaver, local(day, 9, 0), local(day, 9, 50));      // 50 min: first, met, streak 2
        PastTime.logged(group, other, local(day, 10, 0), local(day, 10, 40));     // 40 min: second, met
        PastTime.logged(group, owner, local(day, 11, 0), local(day, 11, 20));     // 20 min: third, not met
        Instant dayStart = local(day, 0, 0);
        String leaverId = Fixtures.profileOf(leaver);
        String otherId = Fixtures.profileOf(other);
        String ownerId = Fixtures.profileOf(owner);
        List<JsonObject> boardBefore = Boards.at(owner, group, local(day, 12, 0));
        JsonObject periodBefore = periodOf(owner, group, dayStart);
        assertThat(entryOf(boardBefore, leaverId).getInt("rank")).isEqualTo(1);

        erased(leaver);

        List<JsonObject> board = Boards.at(owner, group, local(day, 12, 0));
        assertThat(board).hasSize(3);
        JsonObject former = board.get(0);
        assertThat(former.isNull("user_id")).isTrue();
        assertThat(former.isNull("display_name")).isTrue();
        assertThat(former.isNull("avatar_url")).isTrue();
        assertThat(former.getBoolean("former_member")).isTrue();
        assertThat(former.getJsonNumber("seconds_done").longValue()).isEqualTo(3000);
        assertThat(former.getBoolean("goal_met")).isTrue();
        assertThat(former.getInt("rank")).isEqualTo(1);
        assertThat(former.getInt("streak")).as("their streak stays theirs").isEqualTo(2);
        for (String id : List.of(otherId, ownerId)) {
            JsonObject before = entryOf(boardBefore, id);
            JsonObject after = entryOf(board, id);
            assertThat(after.getInt("rank")).isEqualTo(before.getInt("rank"));
            assertThat(after.getBoolean("goal_met")).isEqualTo(before.getBoolean("goal_met"));
            assertThat(after.getJsonNumber("seconds_done")).isEqualTo(before.getJsonNumber("seconds_done"));
            assertThat(after.getInt("streak")).isEqualTo(before.getInt("streak"));
            assertThat(after.getBoolean("former_member")).isFalse();
        }
        assertThat(board).as("the same board seen by a plain member").isEqualTo(Boards.at(other, group, local(day, 12, 0)));

        JsonObject period = periodOf(owner, group, dayStart);
        List<JsonObject> entries = period.getJsonArray("entries").getValuesAs(JsonObject.class);
        assertThat(period.getInt("member_count")).isEqualTo(periodBefore.getInt("member_count"));
        assertThat(period.getInt("members_met")).isEqualTo(periodBefore.getInt("members_met"));
        assertThat(period.getBoolean("group_goal_met")).isEqualTo(periodBefore.getBoolean("group_goal_met"));
        assertThat(entries).extracting(e -> e.getJsonNumber("seconds_done").longValue()).containsExactly(3000L, 2400L, 1200L);
        assertThat(anonymous(entries)).singleElement().satisfies(e -> {
            assertThat(e.getBoolean("former_member")).isTrue();
            assertThat(e.getBoolean("goal_met")).isTrue();
        });
        assertThat(entryOf(entries, otherId).getBoolean("former_member")).isFalse();
        assertThat(entryOf(entries, otherId).getBoolean("goal_met")).isTrue();

        assertThat(Boards.current(owner, group)).as("not on the current board")
                .extracting(e -> e.getString("user_id")).containsExactlyInAnyOrder(ownerId, otherId);
    }

    @Test
    void everyAvatarTheyUploadedIsDeletedFromStorage() throws Exception {
        User user = User.random();
        String replaced = uploaded(user);
        String avatar = uploaded(user);
        assertThat(user.api().patch("/api/me", "{\"avatar_url\": \"" + avatar + "\"}").status()).isEqualTo(200);
        User other = User.random();
        String others = uploaded(other);

        erased(user);

        assertThat(stored(avatar)).as("the avatar in use is gone").isEqualTo(404);
        assertThat(stored(replaced)).as("and one uploaded but not in use").isEqualTo(404);
        assertThat(stored(others)).as("another person's stays").isEqualTo(200);
    }

    /** An avatar object the person uploaded through a presigned PUT; answers its URL. */
    private static String uploaded(User user) throws Exception {
        Reply upload = user.api().post("/api/profiles/avatar/upload-url", "{\"content_type\": \"image/png\", \"content_length\": 4}");
        assertThat(upload.status()).as(upload.toString()).isEqualTo(200);
        JsonObject answer = upload.json();
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(answer.getString("upload_url")))
                .method("PUT", HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 4}));
        for (Map.Entry<String, JsonValue> header : answer.getJsonObject("headers").entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Content-Length")) {
                put.header(header.getKey(), ((JsonString) header.getValue()).getString());
            }
        }
        assertThat(STORAGE.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        String url = answer.getString("avatar_url");
        assertThat(stored(url)).isEqualTo(200);
        return url;
    }

    private static int stored(String url) throws Exception {
        return STORAGE.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    // ------------------------------------------------------------------ what goes

    @Test
    void pendingInvitesToAndFromThemAreWithdrawnAndTheirJoinLinksRevoked() throws Exception {
        Fixtures.Crew crew = Fixtures.crew();
        User invited = User.random();
        User elsewhere = User.random();
        String invitedId = Fixtures.profileOf(invited);
        Reply sent = crew.admin().api().post("/api/groups/" + crew.groupId() + ":invite", "{\"recipient_id\": \"" + invitedId + "\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        Reply byEmail = crew.admin().api().post("/api/groups/" + crew.groupId() + ":invite", "{\"email\": \"nobody-"
                + UUID.randomUUID() + "@example.org\"}");
        assertThat(byEmail.status()).as(byEmail.toString()).isIn(200, 201, 202);
        String otherGroup = Fixtures.group(elsewhere).getString("id");
        Reply received = elsewhere.api().post("/api/groups/" + otherGroup + ":invite",
                "{\"recipient_id\": \"" + Fixtures.profileOf(crew.admin()) + "\"}");
        assertThat(received.status()).as(received.toString()).isEqualTo(201);
        Reply link = crew.admin().api().post("/api/groups/" + crew.groupId() + "/links", null);
        assertThat(link.status()).as(link.toString()).isEqualTo(201);

        erased(crew.admin());

        assertThat(SQL.count("select count(*) from notifications where id in (?::uuid, ?::uuid)",
                sent.json().getString("id"), received.json().getString("id"))).isZero();
        assertThat(invited.api().get("/api/notifications").jsonArray()).isEmpty();
        assertThat(SQL.count("select count(*) from email_invites where group_id = ?::uuid", crew.groupId())).isZero();
        Reply used = User.random().api().post("/api/links/" + link.json().getString("code") + ":join", null);
        assertThat(used.status()).as(used.toString()).isEqualTo(410);
        JsonObject listed = crew.owner().api().get("/api/groups/" + crew.groupId() + "/links").jsonArray()
                .getValuesAs(JsonObject.class).stream().filter(l -> l.getString("id").equals(link.json().getString("id")))
                .findFirst().orElseThrow();
        assertThat(listed.isNull("revoked_at")).isFalse();
        assertThat(listed.isNull("created_by")).isTrue();
    }

    @Test
    void storedAnswersAndFairUseBucketsAreDeleted() throws Exception {
        User user = User.random();
        String id = Fixtures.profileOf(user);
        Reply created = user.api().withHeader("Idempotency-Key", "erase-" + UUID.randomUUID())
                .post("/api/groups", Fixtures.groupBody("Kept answer"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(SQL.count("select count(*) from idempotency_keys where caller_id = ?::uuid", id)).isOne();
        assertThat(SQL.count("select count(*) from fair_use_buckets where id like ?", "%/" + id)).isPositive();

        erased(user);

        assertThat(SQL.count("select count(*) from idempotency_keys where caller_id = ?::uuid", id)).isZero();
        assertThat(SQL.count("select count(*) from fair_use_buckets where id like ?", "%/" + id)).isZero();
    }

    // ------------------------------------------------------------------ nothing left behind

    /**
     * A person with something in every part of LockIN (time, sessions hosted
     * and joined, milestones others received about them, invites, links,
     * targets, a moderation, stored answers, a left group); after erasure, no
     * row of any table of the schema holds their id, email or name, in any
     * column (each row read whole as text).
     */
    @Test
    void afterErasureNoRowAnywhereHoldsTheirIdEmailOrName() throws Exception {
        User person = User.random();
        User owner = User.random();
        User friend = User.random();
        String id = Fixtures.profileOf(person);
        String name = uniqueName();
        String email = "erin-" + UUID.randomUUID() + "@example.org";
        named(person, name);
        SQL.update("update profiles set email = ? where id = ?::uuid", email, id);
        LocalDate today = LocalDate.now(PARIS);
        Instant start = local(today.minusDays(4), 0, 0);

        // a group of someone else's: the person is an admin with a target of their own, time, milestones, a link
        String group = groupSince(owner, start);
        Reply added = owner.api().withHeader("Idempotency-Key", "add-" + UUID.randomUUID()).post(
                "/api/groups/" + group + "/members", "{\"user_id\": \"" + id + "\", \"role\": \"member\"}");
        assertThat(added.status()).as("an answer kept for the owner, naming them").isEqualTo(201);
        PastTime.joinedAt(group, person, start);
        PastTime.join(owner, group, friend, start);
        assertThat(owner.api().patch("/api/groups/" + group + "/members/" + id, "{\"role\": \"admin\"}").status()).isEqualTo(200);
        assertThat(owner.api().patch("/api/groups/" + group + "/members/" + id,
                "{\"override_period_target_minutes\": 20}").status()).isEqualTo(200);
        PastTime.logged(group, person, local(today.minusDays(2), 9, 0), local(today.minusDays(2), 10, 0));
        PastTime.logged(group, friend, local(today.minusDays(2), 11, 0), local(today.minusDays(2), 11, 10));
        assertThat(SQL.count("select count(*) from notifications where subject_id = ?::uuid", id))
                .as("milestones about them, naming them").isPositive();
        assertThat(person.api().post("/api/groups/" + group + "/links", null).status()).isEqualTo(201);
        // a session of their own, without a group
        String mine = Focus.session(person, null);
        Focus.ok(Focus.act(person, mine, "start"));
        Focus.ok(Focus.act(person, mine, "stop"));
        // the friend's log voided by them
        String friendsSession = Focus.pausedSince(friend, group, Instant.now().minusSeconds(120));
        JsonObject friendsLog = Focus.log(friend, friendsSession, Instant.now().minusSeconds(100), Instant.now().minusSeconds(50));
        Reply voided = person.api().post("/api/sessions/" + friendsSession + "/logs/" + friendsLog.getString("id") + ":void",
                "{\"reason\": \"checking\"}");
        assertThat(voided.status()).as(voided.toString()).isEqualTo(200);
        // a group they left, with time in it; a group of their own alone; invites
        User third = User.random();
        String left = groupSince(third, start);
        PastTime.join(third, left, person, start);
        PastTime.logged(left, person, local(today.minusDays(3), 9, 0), local(today.minusDays(3), 9, 30));
        assertThat(person.api().delete("/api/groups/" + left + "/members/" + id).status()).isEqualTo(204);
        String own = Fixtures.group(person).getString("id");
        assertThat(person.api().withHeader("Idempotency-Key", "k-" + UUID.randomUUID()).post("/api/groups/" + own + ":invite",
                "{\"recipient_id\": \"" + Fixtures.profileOf(third) + "\"}").status()).isEqualTo(201);
        assertThat(third.api().post("/api/groups/" + left + ":invite", "{\"recipient_id\": \"" + id + "\"}").status()).isEqualTo(201);
        // a session they host now in the group, the friend taking part
        String hosted = Focus.session(person, group);
        Focus.ok(Focus.act(person, hosted, "start"));
        assertThat(friend.api().post("/api/sessions/" + hosted + ":join", null).status()).isEqualTo(200);
        List<JsonObject> pastBefore = Boards.at(owner, group, local(today.minusDays(2), 12, 0));
        // a phone for push and notification settings of their own
        assertThat(person.api().post("/api/me/devices", "{\"platform\": \"fcm\", \"token\": \"erasure-" + id
                + "\", \"locale\": \"fr-FR\"}").status()).isEqualTo(201);
        assertThat(person.api().patch("/api/me/notification-settings", "{\"push\": {\"presence\": true},"
                + " \"quiet_hours\": {\"from\": \"22:00\", \"to\": \"07:00\", \"timezone\": \"Europe/Paris\"}}")
                .status()).isEqualTo(200);

        erased(person);

        List<String> found = new ArrayList<>();
        for (Map<String, Object> table : SQL.rows("""
                select quote_ident(table_name) as name from information_schema.tables
                 where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name""")) {
            String t = (String) table.get("name");
            long rows = SQL.count("select count(*) from " + t + " r where strpos(lower(r::text), lower(?)) > 0"
                    + " or strpos(lower(r::text), lower(?)) > 0 or strpos(lower(r::text), lower(?)) > 0", id, email, name);
            if (rows > 0) {
                found.add(t + ": " + rows);
            }
        }
        assertThat(SQL.count("select count(*) from information_schema.tables where table_schema = 'public'"
                + " and table_type = 'BASE TABLE'")).as("every table was read").isGreaterThan(15);
        assertThat(found).as("rows holding the erased person's id, email or name").isEmpty();

        // and what others see still adds up
        List<JsonObject> pastAfter = Boards.at(owner, group, local(today.minusDays(2), 12, 0));
        assertThat(pastAfter).extracting(e -> e.getJsonNumber("seconds_done").longValue())
                .containsExactlyElementsOf(pastBefore.stream().map(e -> e.getJsonNumber("seconds_done").longValue()).toList());
        assertThat(anonymous(pastAfter)).singleElement().satisfies(e -> assertThat(e.getBoolean("former_member")).isTrue());
        assertThat(Focus.get(friend, hosted).getString("status")).as("the session they hosted ended").isEqualTo("ended");
        assertThat(SQL.value("select status::text from groups where id = ?::uuid", own)).isEqualTo("archived");
    }
}
