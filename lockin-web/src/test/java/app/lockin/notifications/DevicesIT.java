package app.lockin.notifications;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.LockinServer;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * The caller's phones for push ({@code /api/me/devices}) and what they want
 * pushed ({@code /api/me/notification-settings}): DOMAIN.md "Reaching people
 * outside the app".
 */
@LockinServer
class DevicesIT {

    private static final Sql SQL = TestEnvironment.sql();
    private static final String SETTINGS = "/api/me/notification-settings";

    private static String token() {
        return "tok-" + UUID.randomUUID();
    }

    private static Reply register(User user, String platform, String token, String more) {
        return user.api().post("/api/me/devices", "{\"platform\": \"" + platform + "\", \"token\": \"" + token + "\""
                + (more == null ? "" : ", " + more) + "}");
    }

    private static JsonObject created(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private static List<JsonObject> devices(User user) {
        Reply reply = user.api().get("/api/me/devices");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.jsonArray().getValuesAs(JsonObject.class);
    }

    private static JsonObject patched(User user, String patch) {
        Reply reply = user.api().patch(SETTINGS, patch);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    // ------------------------------------------------------------------ devices

    @Test
    void aDeviceIsRegisteredListedAndRemovedAndItsTokenNeverAnswered() {
        User user = User.random();
        String token = token();
        Reply reply = register(user, "apns", token, "\"app_version\": \"1.4.0\", \"locale\": \"pt-BR\"");
        JsonObject device = created(reply);
        assertThat(reply.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/me/devices/" + device.getString("id")));
        assertThat(device.keySet()).containsExactlyInAnyOrder("id", "platform", "app_version", "locale", "created_at", "last_seen_at");
        assertThat(device.getString("platform")).isEqualTo("apns");
        assertThat(device.getString("app_version")).isEqualTo("1.4.0");
        assertThat(device.getString("locale")).isEqualTo("pt-BR");
        assertThat(reply.body()).doesNotContain(token);

        JsonObject minimal = created(register(user, "fcm", token(), null));
        assertThat(minimal.isNull("app_version")).isTrue();
        assertThat(minimal.isNull("locale")).isTrue();

        Reply list = user.api().get("/api/me/devices");
        assertThat(list.body()).doesNotContain(token);
        assertThat(devices(user)).extracting(d -> d.getString("id"))
                .containsExactlyInAnyOrder(device.getString("id"), minimal.getString("id"));

        Reply removed = user.api().delete("/api/me/devices/" + device.getString("id"));
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        assertThat(devices(user)).extracting(d -> d.getString("id")).containsExactly(minimal.getString("id"));
        assertProblem(user.api().delete("/api/me/devices/" + device.getString("id")), 404);
    }

    @Test
    void theSameTokenAgainIs200WithTheSameDeviceRefreshed() {
        User user = User.random();
        String token = token();
        JsonObject first = created(register(user, "fcm", token, "\"app_version\": \"1.0\", \"locale\": \"en\""));

        Reply again = register(user, "fcm", token, "\"app_version\": \"1.1\"");

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().getString("id")).isEqualTo(first.getString("id"));
        assertThat(again.json().getString("created_at")).isEqualTo(first.getString("created_at"));
        assertThat(again.json().getString("app_version")).isEqualTo("1.1");
        assertThat(again.json().getString("locale")).as("kept when not given").isEqualTo("en");
        assertThat(again.json().getString("last_seen_at")).isGreaterThanOrEqualTo(first.getString("last_seen_at"));
        assertThat(devices(user)).hasSize(1);
        // the same token of the other provider is another device
        assertThat(register(user, "apns", token, null).status()).isEqualTo(201);
        assertThat(devices(user)).hasSize(2);
    }

    @Test
    void aTokenRegisteredByAnotherPersonMovesToTheCaller() throws Exception {
        User seller = User.random();
        User buyer = User.random();
        String token = token();
        JsonObject sellers = created(register(seller, "apns", token, "\"locale\": \"de\""));

        JsonObject buyers = created(register(buyer, "apns", token, null));

        assertThat(buyers.getString("id")).isNotEqualTo(sellers.getString("id"));
        assertThat(buyers.isNull("locale")).as("nothing of the former person's kept").isTrue();
        assertThat(devices(seller)).isEmpty();
        assertThat(devices(buyer)).extracting(d -> d.getString("id")).containsExactly(buyers.getString("id"));
        assertThat(SQL.count("select count(*) from devices where token = ?", token)).isOne();
        assertProblem(seller.api().delete("/api/me/devices/" + buyers.getString("id")), 404);
    }

    @Test
    void aPersonKeepsTheirTwentyMostRecentlySeenDevices() {
        User user = User.random();
        String oldest = created(register(user, "fcm", token(), null)).getString("id");
        for (int i = 0; i < 20; i++) {
            created(register(user, "fcm", token(), null));
        }
        List<JsonObject> kept = devices(user);
        assertThat(kept).hasSize(20);
        assertThat(kept).extracting(d -> d.getString("id")).doesNotContain(oldest);
    }

    @Test
    void someoneElsesOrAnUnknownDeviceIs404() {
        User owner = User.random();
        User other = User.random();
        String id = created(register(owner, "fcm", token(), null)).getString("id");
        assertProblem(other.api().delete("/api/me/devices/" + id), 404);
        assertProblem(other.api().delete("/api/me/devices/" + UUID.randomUUID()), 404);
        assertThat(devices(other)).isEmpty();
        assertThat(devices(owner)).hasSize(1);
    }

    @Test
    void invalidValuesAre422NamingTheField() {
        User user = User.random();
        assertInvalid(register(user, "webpush", token(), null), "platform");
        assertInvalid(register(user, "fcm", "", null), "token");
        assertInvalid(register(user, "fcm", "x".repeat(4097), null), "token");
        String longest = token();
        assertThat(register(user, "fcm", longest + "x".repeat(4096 - longest.length()), null).status()).isEqualTo(201);
        assertInvalid(register(user, "fcm", token(), "\"locale\": \"not a locale\""), "locale");
        assertInvalid(register(user, "fcm", token(), "\"locale\": \"\""), "locale");
        assertInvalid(register(user, "fcm", token(), "\"app_version\": \"" + "9".repeat(51) + "\""), "app_version");
        assertInvalid(user.api().post("/api/me/devices", "{\"token\": \"" + token() + "\"}"), "platform");
        assertInvalid(user.api().post("/api/me/devices", "{\"platform\": \"fcm\", \"token\": 7}"), "token");
        assertInvalid(register(user, "fcm", token(), "\"id\": \"" + UUID.randomUUID() + "\""), "id");
        assertInvalid(register(user, "fcm", token(), "\"colour\": \"red\""), "colour");
    }

    @Test
    void onlyWithAToken() {
        assertRefused(Api.anonymous().get("/api/me/devices"));
        assertRefused(Api.anonymous().post("/api/me/devices", "{\"platform\": \"fcm\", \"token\": \"t\"}"));
        assertRefused(Api.anonymous().delete("/api/me/devices/" + UUID.randomUUID()));
        assertRefused(Api.anonymous().get(SETTINGS));
        assertRefused(Api.anonymous().patch(SETTINGS, "{}"));
    }

    @Test
    void theExportHoldsTheDevicesWithoutTokensAndTheSettings() {
        User user = User.random();
        String token = token();
        String id = created(register(user, "apns", token, "\"locale\": \"fr\"")).getString("id");
        patched(user, "{\"push\": {\"milestone_group\": false}}");

        Reply export = user.api().get("/api/me/export");

        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.body()).doesNotContain(token);
        List<JsonObject> exported = export.json().getJsonArray("devices").getValuesAs(JsonObject.class);
        assertThat(exported).extracting(d -> d.getString("id")).containsExactly(id);
        assertThat(exported.get(0).getString("locale")).isEqualTo("fr");
        JsonObject settings = export.json().getJsonObject("notification_settings");
        assertThat(settings.getBoolean("push_milestone_group")).isFalse();
        assertThat(settings.getBoolean("push_group_invite")).isTrue();
    }

    // ------------------------------------------------------------------ settings

    @Test
    void settingsStartAtTheDefaults() {
        Reply reply = User.random().api().get(SETTINGS);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonObject push = reply.json().getJsonObject("push");
        assertThat(push.keySet()).containsExactlyInAnyOrder("group_invite", "milestone_member", "milestone_group",
                "session_autopaused", "log_voided", "presence");
        assertThat(push.getBoolean("group_invite")).isTrue();
        assertThat(push.getBoolean("milestone_member")).isTrue();
        assertThat(push.getBoolean("milestone_group")).isTrue();
        assertThat(push.getBoolean("session_autopaused")).isTrue();
        assertThat(push.getBoolean("log_voided")).isTrue();
        assertThat(push.getBoolean("presence")).as("opt-in").isFalse();
        assertThat(reply.json().isNull("quiet_hours")).isTrue();
    }

    @Test
    void aPatchChangesWhatItNamesAndKeepsTheRest() {
        User user = User.random();
        JsonObject one = patched(user, "{\"push\": {\"presence\": true, \"log_voided\": false}}");
        assertThat(one.getJsonObject("push").getBoolean("presence")).isTrue();
        assertThat(one.getJsonObject("push").getBoolean("log_voided")).isFalse();
        assertThat(one.getJsonObject("push").getBoolean("group_invite")).isTrue();

        JsonObject two = patched(user, "{\"quiet_hours\": {\"from\": \"22:00\", \"to\": \"07:00\", \"timezone\": \"Europe/Paris\"}}");
        assertThat(two.getJsonObject("push").getBoolean("presence")).as("kept").isTrue();
        assertThat(two.getJsonObject("quiet_hours").getString("from")).isEqualTo("22:00");
        assertThat(two.getJsonObject("quiet_hours").getString("to")).isEqualTo("07:00");
        assertThat(two.getJsonObject("quiet_hours").getString("timezone")).isEqualTo("Europe/Paris");

        Reply asMergePatch = user.api().send("PATCH", SETTINGS, "application/merge-patch+json",
                "{\"quiet_hours\": {\"to\": \"06:30\"}}");
        assertThat(asMergePatch.status()).as(asMergePatch.toString()).isEqualTo(200);
        assertThat(asMergePatch.json().getJsonObject("quiet_hours").getString("from")).isEqualTo("22:00");
        assertThat(asMergePatch.json().getJsonObject("quiet_hours").getString("to")).isEqualTo("06:30");
        assertThat(user.api().get(SETTINGS).json()).isEqualTo(asMergePatch.json());

        JsonObject cleared = patched(user, "{\"quiet_hours\": null}");
        assertThat(cleared.isNull("quiet_hours")).isTrue();
        assertThat(cleared.getJsonObject("push").getBoolean("log_voided")).as("kept").isFalse();
        assertThat(patched(user, "{}")).isEqualTo(cleared);
    }

    @Test
    void invalidSettingsAre422NamingTheFieldAndChangeNothing() {
        User user = User.random();
        String quiet = "{\"quiet_hours\": {\"from\": \"%s\", \"to\": \"%s\", \"timezone\": \"%s\"}}";
        assertInvalid(user.api().patch(SETTINGS, quiet.formatted("25:00", "07:00", "UTC")), "quiet_hours.from");
        assertInvalid(user.api().patch(SETTINGS, quiet.formatted("22:00", "7:00", "UTC")), "quiet_hours.to");
        assertInvalid(user.api().patch(SETTINGS, quiet.formatted("22:00:00", "07:00", "UTC")), "quiet_hours.from");
        assertInvalid(user.api().patch(SETTINGS, quiet.formatted("22:00", "07:00", "Mars/Olympus")), "quiet_hours.timezone");
        assertInvalid(user.api().patch(SETTINGS, quiet.formatted("22:00", "22:00", "UTC")), "quiet_hours.to");
        assertInvalid(user.api().patch(SETTINGS, "{\"quiet_hours\": {\"from\": \"22:00\"}}"),
                "quiet_hours.to", "quiet_hours.timezone");
        assertInvalid(user.api().patch(SETTINGS, "{\"quiet_hours\": \"22-07\"}"), "quiet_hours");
        assertInvalid(user.api().patch(SETTINGS, "{\"push\": {\"presence\": \"yes\"}}"), "push.presence");
        assertInvalid(user.api().patch(SETTINGS, "{\"push\": {\"presence\": null}}"), "push.presence");
        assertInvalid(user.api().patch(SETTINGS, "{\"push\": {\"email\": true}}"), "push.email");
        assertInvalid(user.api().patch(SETTINGS, "{\"push\": null}"), "push");
        assertInvalid(user.api().patch(SETTINGS, "{\"sms\": true}"), "sms");
        assertInvalid(user.api().patch(SETTINGS, "[]"), "body");
        assertThat(user.api().get(SETTINGS).json().isNull("quiet_hours")).isTrue();
        assertThat(user.api().get(SETTINGS).json().getJsonObject("push").getBoolean("presence")).isFalse();
        assertThat(Fixtures.profileOf(user)).isNotNull();
    }
}
