package app.lockin.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Fixtures;
import app.lockin.testing.LockinServer;
import app.lockin.testing.OwnServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestApns;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.TestFcm;
import app.lockin.testing.User;

/**
 * Pushes reach phones (DOMAIN.md "Reaching people outside the app"): a
 * notification written by the API goes through the outbox to the real
 * providers of the suite, Pushy's MockApnsServer and the tests' FCM
 * (testing.TestApns, testing.TestFcm), with the device's token, the app's
 * topic, the notification's id, kind and group, its text in the device's
 * language, and a collapse id; a token the provider says is gone removes the
 * device; a kind turned off is not pushed; an FCM outage is retried until it
 * passes; and a .p8 key that cannot be read stops the deployment.
 */
@LockinServer
class PushIT {

    private static final Sql SQL = TestEnvironment.sql();
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private static final TestApns APNS = TestEnvironment.apns();
    private static final TestFcm FCM = TestEnvironment.fcm();

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }



    private static JsonObject onlyNotification(User user) {
        Reply reply = user.api().get("/api/notifications");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.jsonArray()).hasSize(1);
        return reply.jsonArray().getJsonObject(0);
    }

    private static List<String> deviceIds(User user) {
        return user.api().get("/api/me/devices").jsonArray().getValuesAs(JsonObject.class).stream()
                .map(d -> d.getString("id")).toList();
    }

    private static String displayName(User user) {
        return user.api().get("/api/me").json().getString("display_name");
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void anInviteIsPushedToTheInvitedPersonsPhonesWithItsIdKindGroupTextAndCollapseId() {
        User owner = User.random();
        User invited = User.random();
        JsonObject group = Fixtures.group(owner);
        String groupId = group.getString("id");
        String iphone = token();
        String android = token();
        Fixtures.device(invited, "apns", iphone, null);
        Fixtures.device(invited, "fcm", android, "en-GB");

        Fixtures.invite(owner, groupId, invited);
        JsonObject notification = onlyNotification(invited);
        String notificationId = notification.getString("id");

        TestApns.Push push = await("the APNs push").atMost(DELIVERY)
                .until(() -> APNS.to(iphone), pushes -> !pushes.isEmpty()).get(0);
        assertThat(push.topic()).isEqualTo(TestApns.TOPIC);
        assertThat(push.collapseId()).isEqualTo(notificationId);
        assertThat(push.pushType()).isEqualTo("alert");
        JsonObject payload = json(push.payload());
        JsonObject alert = payload.getJsonObject("aps").getJsonObject("alert");
        assertThat(alert.getString("title")).isEqualTo(notification.getString("title")).contains(group.getString("name"));
        assertThat(alert.getString("body")).isEqualTo(notification.getString("body"));
        assertThat(payload.getString("notification_id")).isEqualTo(notificationId);
        assertThat(payload.getString("kind")).isEqualTo("group_invite");
        assertThat(payload.getString("group_id")).isEqualTo(groupId);

        TestFcm.Message message = await("the FCM message").atMost(DELIVERY)
                .until(() -> FCM.to(android), messages -> !messages.isEmpty()).get(0);
        assertThat(message.project()).isEqualTo(TestFcm.PROJECT);
        JsonObject fcm = message.message();
        assertThat(fcm.getJsonObject("notification").getString("title")).isEqualTo(notification.getString("title"));
        assertThat(fcm.getJsonObject("notification").getString("body")).isEqualTo(notification.getString("body"));
        assertThat(fcm.getJsonObject("data")).isEqualTo(Json.createObjectBuilder().add("kind", "group_invite")
                .add("notification_id", notificationId).add("group_id", groupId).build());
        assertThat(fcm.getJsonObject("android").getString("collapse_key")).isEqualTo(notificationId);
        assertThat(fcm.getJsonObject("apns").getJsonObject("headers").getString("apns-collapse-id")).isEqualTo(notificationId);

        // delivered once each: a retry would carry the same collapse id, but there is none
        assertThat(APNS.to(iphone)).hasSize(1);
        assertThat(FCM.to(android)).hasSize(1);
    }

    @Test
    void aPhoneInFrenchReadsItsPushInFrench() {
        User owner = User.random();
        User invited = User.random();
        JsonObject group = Fixtures.group(owner);
        String iphone = token();
        String android = token();
        Fixtures.device(invited, "apns", iphone, "fr");
        Fixtures.device(invited, "fcm", android, "fr-CA");

        Fixtures.invite(owner, group.getString("id"), invited);

        String title = displayName(owner) + " vous a invité à rejoindre " + group.getString("name");
        TestApns.Push push = await().atMost(DELIVERY).until(() -> APNS.to(iphone), pushes -> !pushes.isEmpty()).get(0);
        JsonObject alert = json(push.payload()).getJsonObject("aps").getJsonObject("alert");
        assertThat(alert.getString("title")).isEqualTo(title);
        assertThat(alert.getString("body")).isEqualTo("Ouvrez LockIN pour rejoindre " + group.getString("name")
                + " ou décliner l’invitation.");
        TestFcm.Message message = await().atMost(DELIVERY).until(() -> FCM.to(android), m -> !m.isEmpty()).get(0);
        assertThat(message.message().getJsonObject("notification").getString("title")).isEqualTo(title);
    }

    @Test
    void aTokenTheProviderSaysIsGoneRemovesTheDevice() {
        User owner = User.random();
        User invited = User.random();
        String groupId = Fixtures.group(owner).getString("id");
        String goneIphone = token();
        String goneAndroid = token();
        String kept = token();
        APNS.unregister(goneIphone);
        FCM.unregister(goneAndroid);
        String goneIphoneId = Fixtures.device(invited, "apns", goneIphone, null);
        String goneAndroidId = Fixtures.device(invited, "fcm", goneAndroid, null);
        String keptId = Fixtures.device(invited, "apns", kept, null);

        Fixtures.invite(owner, groupId, invited);

        await("the gone devices removed").atMost(DELIVERY)
                .until(() -> deviceIds(invited), ids -> !ids.contains(goneIphoneId) && !ids.contains(goneAndroidId));
        assertThat(deviceIds(invited)).containsExactly(keptId);
        assertThat(APNS.to(kept)).hasSize(1);
        assertThat(APNS.to(goneIphone)).isEmpty();
        assertThat(FCM.to(goneAndroid)).isEmpty();
    }

    @Test
    void aKindTurnedOffIsNotPushed() throws SQLException {
        User owner = User.random();
        User invited = User.random();
        String groupId = Fixtures.group(owner).getString("id");
        String iphone = token();
        String android = token();
        Fixtures.device(invited, "apns", iphone, null);
        Fixtures.device(invited, "fcm", android, null);
        Reply off = invited.api().patch("/api/me/notification-settings", "{\"push\": {\"group_invite\": false}}");
        assertThat(off.status()).as(off.toString()).isEqualTo(200);

        Fixtures.invite(owner, groupId, invited);

        // what is pushed is written with its cause: nothing now means nothing ever
        assertThat(onlyNotification(invited).getString("kind")).isEqualTo("group_invite");
        assertThat(SQL.count("""
                select count(*) from outbox o join auth_identities i on i.profile_id = o.subject_id
                 where i.subject = ? and o.device_id is not null""", invited.subject())).isZero();
        assertThat(APNS.to(iphone)).isEmpty();
        assertThat(FCM.to(android)).isEmpty();
    }

    @Test
    void anFcmOutageIsRetriedUntilTheMessageIsDelivered() throws SQLException {
        User owner = User.random();
        User invited = User.random();
        String groupId = Fixtures.group(owner).getString("id");
        String android = token();
        String deviceId = Fixtures.device(invited, "fcm", android, null);
        FCM.failNext(android, 503, 2);

        Fixtures.invite(owner, groupId, invited);

        TestFcm.Message message = await("delivered after two 503s").atMost(DELIVERY)
                .until(() -> FCM.to(android), m -> !m.isEmpty()).get(0);
        assertThat(message.message().getJsonObject("data").getString("kind")).isEqualTo("group_invite");
        await("the item delivered").atMost(DELIVERY).until(() -> SQL.rows(
                "select status, attempts from outbox where device_id = ?::uuid", deviceId),
                rows -> rows.size() == 1 && "delivered".equals(rows.get(0).get("status")));
        Map<String, Object> item = SQL.rows("select status, attempts from outbox where device_id = ?::uuid", deviceId).get(0);
        assertThat(((Number) item.get("attempts")).intValue()).isEqualTo(3);
        assertThat(FCM.to(android)).hasSize(1);
        assertThat(deviceIds(invited)).contains(deviceId);
    }

    @Test
    void anApnsKeyThatCannotBeReadStopsTheDeploymentNamingTheSetting() throws Exception {
        String log = OwnServer.failedStart("push-bad-apns-key", Map.of("LOCKIN_APNS_KEY_PATH", "/nonexistent/AuthKey_LOCKIN.p8"));
        assertThat(log).contains("LOCKIN_APNS_KEY_PATH names a file that cannot be read: /nonexistent/AuthKey_LOCKIN.p8");
    }

    @Test
    void anFcmServiceAccountFileThatCannotBeReadStopsTheDeploymentNamingTheSetting() throws Exception {
        String log = OwnServer.failedStart("push-bad-fcm-credentials", Map.of("LOCKIN_FCM_CREDENTIALS", "/nonexistent/service-account.json"));
        assertThat(log).contains("LOCKIN_FCM_CREDENTIALS names a file that cannot be read: /nonexistent/service-account.json");
    }
}
