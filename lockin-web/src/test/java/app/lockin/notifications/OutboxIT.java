package app.lockin.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * The transactional outbox (R__19_outbox.sql): what is to be pushed is
 * written with what caused it, per device, as the person's settings and
 * quiet hours say; presence pushes are opt-in and at most one a group per
 * 10 minutes; the metrics of API.md. What the channels do with the items is
 * PushIT's and WebhooksIT's.
 */
@LockinServer
class OutboxIT {

    private static final Sql SQL = TestEnvironment.sql();



    private static List<Map<String, Object>> itemsFor(User user) throws SQLException {
        return SQL.rows("""
                select o.channel, o.device_id::text as device_id, o.event, o.payload::text as payload,
                       o.next_attempt_at, o.status, o.created_at
                  from outbox o
                  join auth_identities i on i.profile_id = o.subject_id
                 where i.subject = ? and o.device_id is not null
                 order by o.seq""", user.subject());
    }

    @Test
    void aNotificationIsPushedToEveryDeviceOfItsRecipientWithWhatTheAppShows() throws SQLException {
        User owner = User.random();
        User invited = User.random();
        String groupId = Fixtures.group(owner).getString("id");
        String phone = Fixtures.device(invited, "apns", "outbox-" + UUID.randomUUID(), null);
        String tablet = Fixtures.device(invited, "fcm", "outbox-" + UUID.randomUUID(), null);

        Fixtures.invite(owner, groupId, invited);

        List<Map<String, Object>> items = itemsFor(invited);
        assertThat(items).extracting(i -> i.get("device_id")).containsExactlyInAnyOrder(phone, tablet);
        assertThat(items).extracting(i -> i.get("channel")).containsExactlyInAnyOrder("apns", "fcm");
        String notificationId = invited.api().get("/api/notifications").jsonArray()
                .getJsonObject(0).getString("id");
        for (Map<String, Object> item : items) {
            assertThat(item.get("event")).isEqualTo("group_invite");
            JsonObject payload = Json.createReader(new java.io.StringReader((String) item.get("payload"))).readObject();
            assertThat(payload.getString("notification_id")).isEqualTo(notificationId);
            assertThat(payload.getString("kind")).isEqualTo("group_invite");
            assertThat(payload.getString("group_id")).isEqualTo(groupId);
            assertThat(payload.getString("title")).isNotBlank();
            assertThat(payload.getJsonObject("params").getString("group_name")).isNotBlank();
            // not held: no quiet hours
            assertThat(((Timestamp) item.get("next_attempt_at")).toInstant())
                    .isBeforeOrEqualTo(((Timestamp) item.get("created_at")).toInstant().plusSeconds(1));
        }
    }

    @Test
    void aKindTurnedOffIsNotPushedAndSomeoneWithoutDevicesGetsNothing() throws SQLException {
        User owner = User.random();
        User quiet = User.random();
        User deviceless = User.random();
        String groupId = Fixtures.group(owner).getString("id");
        Fixtures.device(quiet, "apns", "outbox-" + UUID.randomUUID(), null);
        Reply off = quiet.api().patch("/api/me/notification-settings", "{\"push\": {\"group_invite\": false}}");
        assertThat(off.status()).as(off.toString()).isEqualTo(200);

        Fixtures.invite(owner, groupId, quiet);
        Fixtures.invite(owner, groupId, deviceless);

        assertThat(itemsFor(quiet)).isEmpty();
        assertThat(itemsFor(deviceless)).isEmpty();
        assertThat(quiet.api().get("/api/notifications").jsonArray()).hasSize(1);
    }

    @Test
    void anInviteInQuietHoursWaitsForTheirEndAndNothingIsLostMeanwhile() throws SQLException {
        User owner = User.random();
        User sleeper = User.random();
        String groupId = Fixtures.group(owner).getString("id");
        Fixtures.device(sleeper, "apns", "outbox-" + UUID.randomUUID(), null);
        // quiet from an hour ago until two hours from now, in UTC
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        String from = now.minusHours(1).format(hhmm);
        String to = now.plusHours(2).format(hhmm);
        Reply set = sleeper.api().patch("/api/me/notification-settings",
                "{\"quiet_hours\": {\"from\": \"" + from + "\", \"to\": \"" + to + "\", \"timezone\": \"UTC\"}}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);

        Fixtures.invite(owner, groupId, sleeper);

        List<Map<String, Object>> items = itemsFor(sleeper);
        assertThat(items).hasSize(1);
        Instant due = ((Timestamp) items.get(0).get("next_attempt_at")).toInstant();
        assertThat(due).isAfter(Instant.now().plus(Duration.ofMinutes(100)))
                .isBefore(Instant.now().plus(Duration.ofMinutes(121)));
        assertThat(items.get(0).get("status")).isEqualTo("pending");
    }

    @Test
    void presenceIsPushedOnlyToWhoAskedForItAtMostOnceAGroupPerTenMinutesAndNeverOfAHiddenMember() throws SQLException {
        Crew crew = Fixtures.crew();
        Fixtures.device(crew.member(), "fcm", "outbox-" + UUID.randomUUID(), null);
        Fixtures.device(crew.admin(), "apns", "outbox-" + UUID.randomUUID(), null);
        Reply on = crew.member().api().patch("/api/me/notification-settings", "{\"push\": {\"presence\": true}}");
        assertThat(on.status()).as(on.toString()).isEqualTo(200);

        Focus.ok(Focus.act(crew.owner(), Focus.session(crew.owner(), crew.groupId()), "start"));
        List<Map<String, Object>> pushed = itemsFor(crew.member());
        assertThat(pushed).extracting(i -> i.get("event")).containsExactly("presence");
        assertThat((String) pushed.get(0).get("payload")).contains("started focusing");
        // the admin kept the default: presence off
        assertThat(itemsFor(crew.admin())).isEmpty();

        // the admin starts too, within ten minutes: nothing more for the member
        Focus.ok(Focus.act(crew.admin(), Focus.session(crew.admin(), crew.groupId()), "start"));
        assertThat(itemsFor(crew.member())).hasSize(1);

        // ten minutes later, a member who hides from the board starts: still nothing
        SQL.update("""
                update presence_pushes p set pushed_at = now() - interval '11 minutes'
                  from auth_identities i where i.subject = ? and p.user_id = i.profile_id""", crew.member().subject());
        User hider = User.random();
        Fixtures.member(crew.owner(), crew.groupId(), hider, "member");
        Reply hide = hider.api().patch("/api/groups/" + crew.groupId() + "/members/" + Fixtures.profileOf(hider),
                "{\"hidden_from_leaderboard\": true}");
        assertThat(hide.status()).as(hide.toString()).isEqualTo(200);
        Focus.ok(Focus.act(hider, Focus.session(hider, crew.groupId()), "start"));
        assertThat(itemsFor(crew.member())).hasSize(1);
    }

    @Test
    void theBacklogAndTheDeliveriesAreInTheMetrics() {
        User owner = User.random();
        User invited = User.random();
        Fixtures.device(invited, "apns", "outbox-" + UUID.randomUUID(), null);
        Fixtures.invite(owner, Fixtures.group(owner).getString("id"), invited);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Reply metrics = Api.anonymous().get("/metrics?scope=application", "text/plain");
            assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
            assertThat(metrics.body()).contains("lockin_outbox_pending").contains("lockin_outbox_oldest_seconds")
                    .containsPattern("lockin_deliveries_total\\{[^}]*channel=\"apns\"[^}]*outcome=\"delivered\"");
        });
    }
}
