package app.lockin.groups;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.LockinServer;
import app.lockin.testing.PastTime;
import app.lockin.testing.Reply;
import app.lockin.testing.StandardWebhooks;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;
import app.lockin.testing.WebhookReceiver;
import app.lockin.testing.WebhookReceiver.Answer;
import app.lockin.testing.WebhookReceiver.Received;

/**
 * A group's webhooks ({@code /api/groups/{id}/webhooks}, DOMAIN.md "Group
 * webhooks"): who may manage them, what they answer, and what a real HTTPS
 * receiver of the test's gets through the outbox: signed as the Standard
 * Webhooks specification says (checked here from the specification, not with
 * LockIN's classes), in each format, retried, never redirected. The suite's
 * server allows private addresses (the receiver is on 127.0.0.1); the rule
 * itself is WebhookAddressesIT's and WebhookAddressesTest's.
 */
@LockinServer
class WebhooksIT {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private WebhookReceiver receiver;

    @BeforeEach
    void receiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    private static String hooks(String groupId) {
        return "/api/groups/" + groupId + "/webhooks";
    }

    private static String body(String url, String events, String format) {
        return "{\"url\": \"" + url + "\", \"events\": " + events + (format == null ? "" : ", \"format\": \"" + format + "\"") + "}";
    }

    private JsonObject create(User user, String groupId, String path, String events, String format) {
        Reply reply = user.api().post(hooks(groupId), body(receiver.url(path), events, format));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private static String ping(User user, String groupId, String webhookId) {
        Reply reply = user.api().post(hooks(groupId) + "/" + webhookId + ":test", null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return reply.json().getString("delivery_id");
    }

    private static List<JsonObject> deliveries(User user, String groupId, String webhookId) {
        Reply reply = user.api().get(hooks(groupId) + "/" + webhookId + "/deliveries");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.jsonArray().getValuesAs(JsonObject.class);
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    // ------------------------------------------------------------------ managing them

    @Test
    void aWebhookIsMadeListedChangedAndRemovedAndItsSecretShownOnce() {
        Crew crew = Fixtures.crew();
        Reply reply = crew.owner().api().post(hooks(crew.groupId()),
                body(receiver.url("/crud"), "[\"milestone_member\", \"period_closed\", \"milestone_member\"]", null));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        JsonObject created = reply.json();
        String id = created.getString("id");
        assertThat(reply.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(hooks(crew.groupId()) + "/" + id));
        assertThat(created.getString("url")).isEqualTo(receiver.url("/crud"));
        assertThat(created.getJsonArray("events").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString).as("each once, in order")
                .containsExactly("milestone_member", "period_closed");
        assertThat(created.getString("format")).isEqualTo("standard");
        assertThat(created.getBoolean("enabled")).isTrue();
        assertThat(created.isNull("previous_secret_until")).isTrue();
        String secret = created.getString("secret");
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);

        Reply list = crew.admin().api().get(hooks(crew.groupId()));
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).doesNotContain("secret");
        assertThat(list.jsonArray().getValuesAs(JsonObject.class)).extracting(w -> w.getString("id")).containsExactly(id);
        Reply one = crew.owner().api().get(hooks(crew.groupId()) + "/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body()).doesNotContain(secret);

        Reply changed = crew.admin().api().patch(hooks(crew.groupId()) + "/" + id, "{\"events\": [\"member_joined\"], \"enabled\": false}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().getJsonArray("events").getString(0)).isEqualTo("member_joined");
        assertThat(changed.json().getBoolean("enabled")).isFalse();
        assertThat(changed.json().isNull("disabled_at")).isFalse();
        assertThat(changed.body()).doesNotContain("secret");
        assertProblem(crew.owner().api().post(hooks(crew.groupId()) + "/" + id + ":test", null), 409);
        Reply on = crew.owner().api().patch(hooks(crew.groupId()) + "/" + id, "{\"enabled\": true}");
        assertThat(on.json().getBoolean("enabled")).isTrue();
        assertThat(on.json().isNull("disabled_at")).isTrue();
        assertThat(on.json().isNull("failing_since")).isTrue();
        assertThat(on.json().getJsonArray("events").getString(0)).as("kept").isEqualTo("member_joined");

        // in its maker's export, without its secret
        Reply export = crew.owner().api().get("/api/me/export");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.json().getJsonArray("webhooks_created").getValuesAs(JsonObject.class))
                .extracting(w -> w.getString("id")).containsExactly(id);
        assertThat(export.body()).doesNotContain(secret);
        assertThat(crew.admin().api().get("/api/me/export").json().getJsonArray("webhooks_created")).isEmpty();

        Reply removed = crew.owner().api().delete(hooks(crew.groupId()) + "/" + id);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        assertProblem(crew.owner().api().delete(hooks(crew.groupId()) + "/" + id), 404);
        assertProblem(crew.owner().api().get(hooks(crew.groupId()) + "/" + id), 404);
        assertThat(crew.owner().api().get(hooks(crew.groupId())).jsonArray()).isEmpty();
    }

    @Test
    void ownerAndAdminsOnly() {
        Crew crew = Fixtures.crew();
        String id = create(crew.admin(), crew.groupId(), "/roles", "[\"ping\"]", "slack").getString("id");
        User stranger = User.random();
        String one = hooks(crew.groupId()) + "/" + id;
        for (User user : List.of(crew.member(), stranger)) {
            int status = user == stranger ? 404 : 403;
            assertProblem(user.api().post(hooks(crew.groupId()), body(receiver.url("/x"), "[\"ping\"]", null)), status);
            assertProblem(user.api().get(hooks(crew.groupId())), status);
            assertProblem(user.api().get(one), status);
            assertProblem(user.api().patch(one, "{\"enabled\": false}"), status);
            assertProblem(user.api().delete(one), status);
            assertProblem(user.api().post(one + ":rotate-secret", null), status);
            assertProblem(user.api().post(one + ":test", null), status);
            assertProblem(user.api().get(one + "/deliveries"), status);
        }
        assertProblem(crew.owner().api().get(hooks(UUID.randomUUID().toString())), 404);
        assertProblem(crew.owner().api().get(hooks(crew.groupId()) + "/" + UUID.randomUUID()), 404);
        // a webhook of another group is unknown here
        Crew other = Fixtures.crew();
        String others = create(other.owner(), other.groupId(), "/other", "[\"ping\"]", null).getString("id");
        Fixtures.member(crew.owner(), crew.groupId(), other.owner(), "admin");
        assertProblem(other.owner().api().delete(hooks(crew.groupId()) + "/" + others), 404);
        assertProblem(other.owner().api().post(hooks(crew.groupId()) + "/" + others + ":test", null), 404);

        assertRefused(Api.anonymous().get(hooks(crew.groupId())));
        assertRefused(Api.anonymous().post(hooks(crew.groupId()), body(receiver.url("/x"), "[\"ping\"]", null)));
        assertRefused(Api.anonymous().patch(one, "{\"enabled\": false}"));
        assertRefused(Api.anonymous().delete(one));
        assertRefused(Api.anonymous().post(one + ":rotate-secret", null));
        assertRefused(Api.anonymous().post(one + ":test", null));
        assertRefused(Api.anonymous().get(one + "/deliveries"));
    }

    @Test
    void badValuesAre422NamingTheField() {
        Crew crew = Fixtures.crew();
        User owner = crew.owner();
        String path = hooks(crew.groupId());
        String good = receiver.url("/422");
        assertInvalid(owner.api().post(path, body(good.replace("https:", "http:"), "[\"ping\"]", null)), "url");
        assertInvalid(owner.api().post(path, body("https://user:pw@localhost/hook", "[\"ping\"]", null)), "url");
        assertInvalid(owner.api().post(path, body("https://localhost/" + "a".repeat(2048), "[\"ping\"]", null)), "url");
        assertInvalid(owner.api().post(path, body("not a url", "[\"ping\"]", null)), "url");
        assertInvalid(owner.api().post(path, body("", "[\"ping\"]", null)), "url");
        assertInvalid(owner.api().post(path, "{\"url\": 7, \"events\": [\"ping\"]}"), "url");
        assertInvalid(owner.api().post(path, body(good, "[]", null)), "events");
        assertInvalid(owner.api().post(path, body(good, "[\"everything\"]", null)), "events");
        assertInvalid(owner.api().post(path, body(good, "[\"ping\", null]", null)), "events");
        assertInvalid(owner.api().post(path, body(good, "\"ping\"", null)), "events");
        assertInvalid(owner.api().post(path, body(good, "[1]", null)), "events");
        assertInvalid(owner.api().post(path, body(good, "{}", null)), "events");
        assertInvalid(owner.api().post(path, body(good, "[\"ping\"]", "xml")), "format");
        assertInvalid(owner.api().post(path, "{\"events\": [\"ping\"]}"), "url");
        assertInvalid(owner.api().post(path, "{\"url\": \"" + good + "\"}"), "events");
        assertInvalid(owner.api().post(path, "{\"url\": \"" + good + "\", \"events\": [\"ping\"], \"secret\": \"whsec_x\"}"), "secret");
        assertInvalid(owner.api().post(path, "{\"url\": \"" + good + "\", \"events\": [\"ping\"], \"colour\": 1}"), "colour");
        assertThat(owner.api().get(path).jsonArray()).as("nothing made").isEmpty();

        String one = path + "/" + create(owner, crew.groupId(), "/422", "[\"ping\"]", null).getString("id");
        assertInvalid(owner.api().patch(one, "{\"url\": \"" + good + "\"}"), "url");
        assertInvalid(owner.api().patch(one, "{\"format\": \"slack\"}"), "format");
        assertInvalid(owner.api().patch(one, "{\"events\": null}"), "events");
        assertInvalid(owner.api().patch(one, "{\"events\": [\"nope\"]}"), "events");
        assertInvalid(owner.api().patch(one, "{\"enabled\": \"yes\"}"), "enabled");
        assertInvalid(owner.api().patch(one, "{\"enabled\": null}"), "enabled");
        assertProblem(owner.api().get(one + "/deliveries?before=abc"), 400);
        assertProblem(owner.api().get(one + "/deliveries?limit=0"), 400);
    }

    @Test
    void aGroupHasAtMostTenWebhooks() {
        Crew crew = Fixtures.crew();
        String first = null;
        for (int i = 0; i < 10; i++) {
            String id = create(i % 2 == 0 ? crew.owner() : crew.admin(), crew.groupId(), "/ten", "[\"ping\"]", null).getString("id");
            first = first == null ? id : first;
        }
        Reply eleventh = crew.owner().api().post(hooks(crew.groupId()), body(receiver.url("/ten"), "[\"ping\"]", null));
        assertProblem(eleventh, 409);
        assertThat(eleventh.json().getString("detail")).contains("at most 10 webhooks");
        assertThat(crew.owner().api().get(hooks(crew.groupId())).jsonArray()).hasSize(10);
        assertThat(crew.owner().api().delete(hooks(crew.groupId()) + "/" + first).status()).isEqualTo(204);
        create(crew.owner(), crew.groupId(), "/ten", "[\"ping\"]", null);
    }

    @Test
    void managersRacingForTheLastPlacesGetTenBetweenThem() throws Exception {
        Crew crew = Fixtures.crew();
        for (int i = 0; i < 8; i++) {
            create(crew.owner(), crew.groupId(), "/race", "[\"ping\"]", null);
        }
        java.util.concurrent.ExecutorService racers = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Reply>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                User user = i % 2 == 0 ? crew.owner() : crew.admin();
                replies.add(racers.submit(() -> user.api().post(hooks(crew.groupId()), body(receiver.url("/race"), "[\"ping\"]", null))));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var reply : replies) {
                statuses.add(reply.get().status());
            }
            assertThat(statuses).as(statuses.toString()).containsOnly(201, 409);
            assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(2);
        } finally {
            racers.shutdown();
        }
        assertThat(crew.owner().api().get(hooks(crew.groupId())).jsonArray()).hasSize(10);
    }

    @Test
    void anArchivedGroupsWebhooksDoNotChange() {
        Crew crew = Fixtures.crew();
        String one = hooks(crew.groupId()) + "/" + create(crew.owner(), crew.groupId(), "/archived", "[\"ping\"]", null).getString("id");
        Fixtures.archive(crew.owner(), crew.groupId());
        assertProblem(crew.owner().api().post(hooks(crew.groupId()), body(receiver.url("/archived"), "[\"ping\"]", null)), 409);
        assertProblem(crew.owner().api().patch(one, "{\"events\": [\"member_joined\"]}"), 409);
        assertProblem(crew.owner().api().post(one + ":rotate-secret", null), 409);
        Reply off = crew.owner().api().patch(one, "{\"enabled\": false}");
        assertThat(off.status()).as("turning off still goes: " + off).isEqualTo(200);
        assertProblem(crew.owner().api().patch(one, "{\"enabled\": true}"), 409);
        assertThat(crew.owner().api().delete(one).status()).isEqualTo(204);
    }

    // ------------------------------------------------------------------ what the receiver gets

    @Test
    void aTestEventIsAPingSignedAsTheSpecificationSays() {
        Crew crew = Fixtures.crew();
        JsonObject hook = create(crew.owner(), crew.groupId(), "/ping", "[\"milestone_member\"]", null);
        long before = Instant.now().getEpochSecond();
        String delivery = ping(crew.admin(), crew.groupId(), hook.getString("id"));

        Received request = receiver.awaitAt("/ping", 1, DELIVERY).get(0);

        assertThat(request.header("webhook-id")).isEqualTo(delivery);
        assertThat(Long.parseLong(request.header("webhook-timestamp"))).isBetween(before - 1, Instant.now().getEpochSecond());
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("user-agent")).contains("LockIN");
        assertThat(StandardWebhooks.verifies(hook.getString("secret"), request))
                .as("HMAC-SHA256 of id.timestamp.body with the secret: " + request.header("webhook-signature")).isTrue();
        JsonObject event = json(request.body());
        assertThat(event.getString("type")).isEqualTo("ping");
        assertThat(Instant.parse(event.getString("timestamp"))).isBetween(Instant.ofEpochSecond(before - 5), Instant.now());
        assertThat(event.getJsonObject("data").getString("group_id")).isEqualTo(crew.groupId());
        assertThat(event.getJsonObject("data").getString("group_name")).isNotBlank();

        await().atMost(DELIVERY).untilAsserted(() -> {
            List<JsonObject> list = deliveries(crew.owner(), crew.groupId(), hook.getString("id"));
            assertThat(list).hasSize(1);
            JsonObject d = list.get(0);
            assertThat(d.getString("id")).isEqualTo(delivery);
            assertThat(d.getString("event")).isEqualTo("ping");
            assertThat(d.getString("status")).isEqualTo("delivered");
            assertThat(d.getInt("attempts")).isEqualTo(1);
            assertThat(d.getInt("last_status_code")).isEqualTo(200);
            assertThat(d.isNull("last_attempt_at")).isFalse();
            assertThat(d.isNull("next_attempt_at")).isTrue();
        });
    }

    @Test
    void slackAndDiscordGetAReadableSentence() {
        Crew crew = Fixtures.crew();
        String slack = create(crew.owner(), crew.groupId(), "/slack", "[\"ping\"]", "slack").getString("id");
        String discord = create(crew.owner(), crew.groupId(), "/discord", "[\"ping\"]", "discord").getString("id");
        ping(crew.owner(), crew.groupId(), slack);
        ping(crew.owner(), crew.groupId(), discord);

        JsonObject slackBody = json(receiver.awaitAt("/slack", 1, DELIVERY).get(0).body());
        assertThat(slackBody.keySet()).containsExactly("text");
        assertThat(slackBody.getString("text")).startsWith("Test event from LockIN").contains("works");
        JsonObject discordBody = json(receiver.awaitAt("/discord", 1, DELIVERY).get(0).body());
        assertThat(discordBody.getString("content")).startsWith("Test event from LockIN");
        assertThat(discordBody.getString("content").length()).isLessThanOrEqualTo(2000);
        assertThat(discordBody.getJsonObject("allowed_mentions").getJsonArray("parse")).isEmpty();
        assertThat(receiver.receivedAt("/discord").get(0).header("webhook-signature")).startsWith("v1,");
    }

    @Test
    void aNewMemberReachesTheWebhooksThatWantIt() {
        Crew crew = Fixtures.crew();
        create(crew.owner(), crew.groupId(), "/joined", "[\"member_joined\"]", "discord");
        create(crew.owner(), crew.groupId(), "/not-wanted", "[\"session_started\"]", null);
        User newcomer = User.random();
        Fixtures.member(crew.owner(), crew.groupId(), newcomer, "member");

        String content = json(receiver.awaitAt("/joined", 1, DELIVERY).get(0).body()).getString("content");
        assertThat(content).contains("joined").endsWith("👋");
        assertThat(receiver.receivedAt("/not-wanted")).isEmpty();
    }

    /**
     * When a period of the group ends, its webhook hears it once, whichever
     * instance's tick writes it, with the board as members see it: who hides
     * is not on it. Yesterday's period, of a group begun the day before, with
     * a webhook made then (dated back in the database: the API makes nothing
     * in the past).
     */
    @Test
    void aClosedPeriodReachesItsWebhookOnceWithTheBoardMembersSee() throws Exception {
        Crew crew = Fixtures.crewSinceYesterday();
        User hider = User.random();
        Fixtures.member(crew.owner(), crew.groupId(), hider, "member");
        Reply hidden = hider.api().patch("/api/groups/" + crew.groupId() + "/members/" + Fixtures.profileOf(hider),
                "{\"hidden_from_leaderboard\": true}");
        assertThat(hidden.status()).as(hidden.toString()).isEqualTo(200);
        // started and joined well before yesterday, so that yesterday noon is theirs at any time of day
        // (the crew's group started exactly a day ago: yesterday noon is before it for an hour a day)
        TestEnvironment.sql().update("update groups set start_at = now() - interval '3 days' where id = ?::uuid",
                crew.groupId());
        Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
        for (User person : List.of(crew.owner(), crew.admin(), crew.member(), hider)) {
            PastTime.joinedAt(crew.groupId(), person, twoDaysAgo);
        }
        // yesterday, in the group's zone: the member focused 61 minutes, the hider 30
        java.time.ZoneId zone = java.time.ZoneId.of(crew.owner().api().get("/api/groups/" + crew.groupId()).json().getString("timezone"));
        Instant yesterdayNoon = java.time.LocalDate.now(zone).minusDays(1).atTime(12, 0).atZone(zone).toInstant();
        PastTime.logged(crew.groupId(), crew.member(), yesterdayNoon, yesterdayNoon.plus(Duration.ofMinutes(61)));
        PastTime.logged(crew.groupId(), hider, yesterdayNoon.plus(Duration.ofHours(2)), yesterdayNoon.plus(Duration.ofMinutes(150)));

        String id = create(crew.owner(), crew.groupId(), "/summary", "[\"period_closed\"]", null).getString("id");
        TestEnvironment.sql().update("update webhooks set created_at = now() - interval '1 day' where id = ?::uuid", id);

        Received summary = receiver.awaitAt("/summary", 1, DELIVERY).get(0);
        JsonObject event = json(summary.body());
        assertThat(event.getString("type")).isEqualTo("period_closed");
        JsonObject data = event.getJsonObject("data");
        assertThat(Instant.parse(data.getString("period_end").replace("+00:00", "Z"))).isBeforeOrEqualTo(Instant.now())
                .isAfter(Instant.now().minus(Duration.ofDays(1)));
        List<JsonObject> board = data.getJsonArray("board").getValuesAs(JsonObject.class);
        assertThat(board).extracting(e -> e.getString("user_id"))
                .containsExactlyInAnyOrder(Fixtures.profileOf(crew.owner()), Fixtures.profileOf(crew.admin()),
                        Fixtures.profileOf(crew.member()));
        assertThat(board.get(0).getString("user_id")).isEqualTo(Fixtures.profileOf(crew.member()));
        assertThat(board.get(0).getInt("total_seconds")).isEqualTo(61 * 60);
        assertThat(board.get(0).getBoolean("goal_met")).isTrue();
        assertThat(summary.body()).doesNotContain(Fixtures.profileOf(hider));

        // once: another tick, on this or any instance, writes nothing more for that period
        TestEnvironment.sql().value("select outbox_period_summaries()");
        assertThat(TestEnvironment.sql().count(
                "select count(*) from outbox where webhook_id = ?::uuid and event = 'period_closed'", id)).isOne();
        assertThat(receiver.receivedAt("/summary")).hasSize(1);
    }

    @Test
    void afterARotationBothSecretsSignFor24Hours() {
        Crew crew = Fixtures.crew();
        JsonObject hook = create(crew.owner(), crew.groupId(), "/rotate", "[\"ping\"]", null);
        String id = hook.getString("id");
        Reply rotated = crew.admin().api().post(hooks(crew.groupId()) + "/" + id + ":rotate-secret", null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String secret = rotated.json().getString("secret");
        assertThat(secret).startsWith("whsec_").isNotEqualTo(hook.getString("secret"));
        Instant until = Instant.parse(rotated.json().getString("previous_secret_until"));
        assertThat(until).isBetween(Instant.now().plus(Duration.ofHours(24)).minusSeconds(60),
                Instant.now().plus(Duration.ofHours(24)).plusSeconds(60));
        assertThat(crew.owner().api().get(hooks(crew.groupId())).body()).doesNotContain(secret);

        ping(crew.owner(), crew.groupId(), id);
        Received request = receiver.awaitAt("/rotate", 1, DELIVERY).get(0);
        assertThat(StandardWebhooks.signatures(request.header("webhook-signature"))).hasSize(2);
        assertThat(StandardWebhooks.verifies(secret, request)).as("the new secret").isTrue();
        assertThat(StandardWebhooks.verifies(hook.getString("secret"), request)).as("the old secret").isTrue();
    }

    @Test
    void aFailureIsRetriedWithTheSameIdUntilDelivered() {
        Crew crew = Fixtures.crew();
        String id = create(crew.owner(), crew.groupId(), "/flaky", "[\"ping\"]", null).getString("id");
        receiver.answer(Answer.status(500), Answer.status(503));
        String delivery = ping(crew.owner(), crew.groupId(), id);

        List<Received> requests = receiver.awaitAt("/flaky", 3, DELIVERY);
        assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(delivery);
        assertThat(requests.get(1).at()).as("a back-off between attempts").isAfter(requests.get(0).at().plusMillis(400));
        await().atMost(DELIVERY).untilAsserted(() -> {
            JsonObject d = deliveries(crew.owner(), crew.groupId(), id).get(0);
            assertThat(d.getString("status")).isEqualTo("delivered");
            assertThat(d.getInt("attempts")).isEqualTo(3);
            assertThat(d.getInt("last_status_code")).isEqualTo(200);
        });
    }

    @Test
    void aRedirectIsNotFollowed() {
        Crew crew = Fixtures.crew();
        String id = create(crew.owner(), crew.groupId(), "/moved", "[\"ping\"]", null).getString("id");
        receiver.answer(Answer.redirect(receiver.url("/elsewhere")));
        ping(crew.owner(), crew.groupId(), id);

        await().atMost(DELIVERY).untilAsserted(() -> {
            JsonObject d = deliveries(crew.owner(), crew.groupId(), id).get(0);
            assertThat(d.getInt("attempts")).isGreaterThanOrEqualTo(1);
            assertThat(d.isNull("last_status_code")).isFalse();
        });
        List<JsonObject> seen = deliveries(crew.owner(), crew.groupId(), id);
        if (seen.get(0).getInt("attempts") == 1) {
            assertThat(seen.get(0).getInt("last_status_code")).isEqualTo(302);
            assertThat(seen.get(0).getString("status")).isEqualTo("pending");
        }
        // the retry goes to the webhook's own URL again, never to where the redirect pointed
        receiver.awaitAt("/moved", 2, DELIVERY);
        assertThat(receiver.receivedAt("/elsewhere")).isEmpty();
    }

    @Test
    void deliveriesComeNewestFirstByPages() {
        Crew crew = Fixtures.crew();
        String id = create(crew.owner(), crew.groupId(), "/pages", "[\"ping\"]", null).getString("id");
        String first = ping(crew.owner(), crew.groupId(), id);
        String second = ping(crew.owner(), crew.groupId(), id);
        String third = ping(crew.owner(), crew.groupId(), id);

        Reply page = crew.owner().api().get(hooks(crew.groupId()) + "/" + id + "/deliveries?limit=2");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.jsonArray().getValuesAs(JsonObject.class)).extracting(d -> d.getString("id")).containsExactly(third, second);
        String next = page.header("Link").orElseThrow();
        assertThat(next).contains("rel=\"next\"").contains("before=" + second).contains("limit=2");
        String nextPath = next.substring(next.indexOf('<') + 1, next.indexOf('>'));
        Reply rest = crew.owner().api().get(nextPath.substring(nextPath.indexOf("/api/")));
        assertThat(rest.jsonArray().getValuesAs(JsonObject.class)).extracting(d -> d.getString("id")).containsExactly(first);
        assertThat(rest.header("Link")).isEmpty();
        Reply unknown = crew.owner().api().get(hooks(crew.groupId()) + "/" + id + "/deliveries?before=" + UUID.randomUUID());
        assertThat(unknown.jsonArray()).isEmpty();
        // every ping reaches the receiver, in order
        assertThat(receiver.awaitAt("/pages", 3, DELIVERY)).extracting(r -> r.header("webhook-id")).containsExactly(first, second, third);
    }
}
