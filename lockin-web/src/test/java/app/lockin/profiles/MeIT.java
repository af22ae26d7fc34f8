package app.lockin.profiles;

import static app.lockin.testing.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Rows;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/** GET and PATCH /api/me: provisioning on the first call, the profile's shape, and every validation rule. */
@LockinServer
class MeIT {

    private static final Sql SQL = TestEnvironment.sql();

    /** Where the suite's server reads avatars: the bucket under S3_ENDPOINT_URL (S3Mock), path-style. */
    private static final String AVATAR_BASE = TestEnvironment.avatarBaseUrl() + "avatars/";

    @Test
    void firstCallProvisionsTheProfile() throws Exception {
        User user = User.random();
        Instant before = Instant.now().minusSeconds(5);

        Reply reply = user.api().get("/api/me");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonObject me = reply.json();
        assertThat(me.keySet()).containsExactlyInAnyOrder(
                "id", "email", "display_name", "avatar_url", "created_at", "updated_at", "memberships");
        assertThat(UUID.fromString(me.getString("id"))).isNotNull();
        assertThat(me.isNull("email")).as("access tokens carry no email").isTrue();
        assertThat(me.isNull("avatar_url")).isTrue();
        assertThat(me.getString("display_name")).isEqualTo(user.username());
        assertThat(me.getJsonArray("memberships")).isEmpty();
        assertThat(me.getString("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
        assertThat(Instant.parse(me.getString("created_at"))).isAfter(before);

        assertThat(SQL.count("select count(*) from auth_identities where provider = 'cognito' and subject = ?", user.subject()))
                .isEqualTo(1);
        assertThat(user.api().get("/api/me").json().getString("id")).isEqualTo(me.getString("id"));
    }

    @Test
    void idTokenProvisionsEmailAndName() {
        User user = User.random();
        String email = user.username() + "@Example.com";
        String token = TestEnvironment.mint().sign(TestEnvironment.mint()
                .id(user.subject(), user.username(), email, "  Ada Lovelace  ", Duration.ofMinutes(5)).build());

        JsonObject me = Api.withToken(token).get("/api/me").json();

        assertThat(me.getString("email")).isEqualTo(email);
        assertThat(me.getString("display_name")).isEqualTo("Ada Lovelace");
    }

    @Test
    void anEmailTheTokenDoesNotSayIsVerifiedIsNotKept() {
        User user = User.random();
        String email = user.username() + "@example.com";
        var mint = TestEnvironment.mint();
        for (Object unverified : new Object[] {false, "false"}) {
            JsonObject me = Api.withToken(mint.sign(mint.id(user.subject(), user.username(), email, null, Duration.ofMinutes(5))
                    .claim("email_verified", unverified).build())).get("/api/me").json();
            assertThat(me.isNull("email")).as("email_verified " + unverified).isTrue();
        }
        User other = User.random();
        String otherEmail = other.username() + "@example.com";
        JsonObject me = Api.withToken(mint.sign(mint.id(other.subject(), other.username(), otherEmail, null, Duration.ofMinutes(5))
                .claim("email_verified", "true").build())).get("/api/me").json();
        assertThat(me.getString("email")).as("Cognito's string form of true").isEqualTo(otherEmail);
    }

    @Test
    void anEmailThatBelongsToSomeoneElseIsNotTaken() {
        User first = User.random();
        User second = User.random();
        String email = first.username() + "@example.com";
        var mint = TestEnvironment.mint();
        Api.withToken(mint.sign(mint.id(first.subject(), first.username(), email, null, Duration.ofMinutes(5)).build())).get("/api/me");

        Reply reply = Api.withToken(mint.sign(mint.id(second.subject(), second.username(), email.toUpperCase(), null,
                Duration.ofMinutes(5)).build())).get("/api/me");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().isNull("email")).isTrue();
    }

    @Test
    void twentyConcurrentFirstCallsMakeOneProfile() throws Exception {
        User user = User.random();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Reply>> calls = IntStream.range(0, 20).<Callable<Reply>>mapToObj(i -> () -> user.api().get("/api/me")).toList();
            List<Reply> replies = pool.invokeAll(calls).stream().map(MeIT::join).toList();

            assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
            Set<String> ids = replies.stream().map(r -> r.json().getString("id")).collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            assertThat(SQL.count("select count(*) from auth_identities where subject = ?", user.subject())).isEqualTo(1);
            assertThat(SQL.count("select count(*) from profiles where id = ?::uuid", ids.iterator().next())).isEqualTo(1);
            assertThat(SQL.count("select count(*) from profiles where display_name = ?", user.username())).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Reply join(Future<Reply> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void displayNameIsTrimmedAndSaved() {
        User user = User.random();
        JsonObject before = user.api().get("/api/me").json();

        Reply reply = user.api().patch("/api/me", "{\"display_name\": \"  Grace Hopper \"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().getString("display_name")).isEqualTo("Grace Hopper");
        assertThat(Instant.parse(reply.json().getString("updated_at")))
                .isAfterOrEqualTo(Instant.parse(before.getString("updated_at")));
        assertThat(user.api().get("/api/me").json().getString("display_name")).isEqualTo("Grace Hopper");
    }

    @Test
    void displayNameLengthCountsCharactersNotBytes() {
        User user = User.random();
        String fifty = "🙂".repeat(50);
        assertThat(user.api().patch("/api/me", "{\"display_name\": \"" + fifty + "\"}").status()).isEqualTo(200);
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": \"" + fifty + "x\"}"), "display_name");
    }

    @Test
    void invalidDisplayNamesAre422() {
        User user = User.random();
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": \"\"}"), "display_name");
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": \"   \"}"), "display_name");
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": \"" + "x".repeat(51) + "\"}"), "display_name");
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": null}"), "display_name");
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": 42}"), "display_name");
    }

    @Test
    void unknownAndReadOnlyFieldsAre422NamingEachField() {
        User user = User.random();
        Reply reply = user.api().patch("/api/me", "{\"display_name\": \"Ok\", \"id\": \"x\", \"email\": \"a@b.c\", \"colour\": \"red\"}");
        assertInvalid(reply, "id", "email", "colour");
        assertThat(reply.json().getJsonArray("errors").getValuesAs(JsonObject.class))
                .anySatisfy(e -> assertThat(e.getString("message")).contains("read-only"))
                .anySatisfy(e -> assertThat(e.getString("message")).contains("not a known field"));
        assertThat(user.api().get("/api/me").json().getString("display_name")).as("nothing half-written").isEqualTo(user.username());
    }

    @Test
    void avatarUrlMustBeOneIssuedForTheCaller() {
        User user = User.random();
        String id = user.api().get("/api/me").json().getString("id");
        String own = AVATAR_BASE + id + "/" + UUID.randomUUID() + ".png";
        String someoneElses = AVATAR_BASE + UUID.randomUUID() + "/" + UUID.randomUUID() + ".png";

        assertInvalid(user.api().patch("/api/me", "{\"avatar_url\": \"https://evil.example.com/x.png\"}"), "avatar_url");
        assertInvalid(user.api().patch("/api/me", "{\"avatar_url\": \"" + someoneElses + "\"}"), "avatar_url");
        assertInvalid(user.api().patch("/api/me", "{\"avatar_url\": \"" + AVATAR_BASE + id + "/../x.png\"}"), "avatar_url");

        Reply set = user.api().patch("/api/me", "{\"avatar_url\": \"" + own + "\"}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().getString("avatar_url")).isEqualTo(own);

        Reply cleared = user.api().patch("/api/me", "{\"avatar_url\": null}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().isNull("avatar_url")).isTrue();
    }

    @Test
    void aRejectedPatchChangesNothing() {
        User user = User.random();
        user.api().get("/api/me");
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": \"New name\", \"avatar_url\": \"https://evil.example.com/x.png\"}"),
                "avatar_url");
        assertThat(user.api().get("/api/me").json().getString("display_name")).isEqualTo(user.username());
    }

    @Test
    void emptyPatchChangesNothing() {
        User user = User.random();
        JsonObject before = user.api().get("/api/me").json();
        Reply reply = user.api().patch("/api/me", "{}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getString("display_name")).isEqualTo(before.getString("display_name"));
    }

    @Test
    void membershipsListTheCallersGroups() throws Exception {
        User user = User.random();
        UUID me = UUID.fromString(user.api().get("/api/me").json().getString("id"));
        UUID group = new Rows(SQL).createGroup(me, "Deep work club", Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(7)));

        JsonObject membership = user.api().get("/api/me").json().getJsonArray("memberships").getJsonObject(0);

        assertThat(membership.getString("group_id")).isEqualTo(group.toString());
        assertThat(membership.getString("group_name")).isEqualTo("Deep work club");
        assertThat(membership.getString("role")).isEqualTo("owner");
        assertThat(membership.getString("status")).isEqualTo("active");
    }
}
