package app.lockin.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.lockin.testing.TestApns;
import app.lockin.testing.TestFcm;
import app.lockin.testing.TestTls;

/**
 * The push channels on their own, against real servers in this JVM: Pushy's
 * MockApnsServer and the tests' FCM (token endpoint and messages:send), both
 * over TLS with the tests' own authority, trusted the way the server trusts
 * it ({@link TrustedCertificates}, LOCKIN_EXTRA_CA_CERTIFICATES). What the
 * outbox does with each {@link Delivery} is PushIT's.
 */
class PushChannelsTest {

    private static final Path WORK = Path.of("target", "push-channels-test");
    private static TestApns apnsServer;
    private static TestFcm fcmServer;
    private static TrustedCertificates trusted;
    private static ApnsPushes apns;
    private static FcmPushes fcm;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(WORK);
        TestTls.get();
        trusted = new TrustedCertificates(Optional.of(TestTls.authorityPem().toString()));
        apnsServer = TestApns.start(freePort(), WORK.resolve("apns.p8"));
        fcmServer = TestFcm.start(freePort(), WORK.resolve("fcm.json"));
        apns = new ApnsPushes(apnsSettings("localhost:" + apnsServer.port()), trusted);
        fcm = new FcmPushes(Optional.of(WORK.resolve("fcm.json").toString()), Optional.empty(), fcmServer.endpoint(), trusted);
    }

    @AfterAll
    static void stop() {
        apns.close();
        fcm.close();
        apnsServer.close();
        fcmServer.close();
    }

    private static Optional<ApnsPushes.Settings> apnsSettings(String server) {
        return ApnsPushes.Settings.of(Optional.of(TestApns.TEAM_ID), Optional.of(TestApns.KEY_ID),
                Optional.of(WORK.resolve("apns.p8").toString()), Optional.of(TestApns.TOPIC), Optional.of("sandbox"),
                Optional.of(server));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static final UUID NOTIFICATION = UUID.randomUUID();
    private static final UUID GROUP = UUID.randomUUID();

    private static OutboxItem invite(String channel) {
        String payload = Json.createObjectBuilder()
                .add("notification_id", NOTIFICATION.toString())
                .add("kind", "group_invite")
                .add("group_id", GROUP.toString())
                .add("title", "Invitation to Finals Week")
                .add("body", "Sam invites you to join Finals Week.")
                .add("params", Json.createObjectBuilder().add("group_name", "Finals Week").add("actor_name", "Sam")
                        .addNull("subject_name").addNull("target_minutes"))
                .build().toString();
        return new OutboxItem(UUID.randomUUID(), channel, UUID.randomUUID(), "group_invite", payload, 1, Instant.now());
    }

    private static Delivery sent(DeliveryChannel channel, OutboxItem item, OutboxItem.Address address) throws Exception {
        return channel.send(item, address).toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    // ------------------------------------------------------------------ APNs

    @Test
    void anApnsPushCarriesTheTokenTopicIdsAndTheNotificationsText() throws Exception {
        String token = token();
        OutboxItem item = invite("apns");
        Delivery delivery = sent(apns, item, new OutboxItem.Device("apns", token, Optional.empty()));

        assertThat(delivery.outcome()).as(delivery.toString()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(delivery.statusCode()).contains(200);
        assertThat(apnsServer.to(token)).singleElement().satisfies(push -> {
            assertThat(push.topic()).isEqualTo(TestApns.TOPIC);
            assertThat(push.collapseId()).isEqualTo(NOTIFICATION.toString());
            assertThat(push.apnsId()).isEqualToIgnoringCase(item.id().toString());
            assertThat(push.pushType()).isEqualTo("alert");
            assertThat(push.priority()).isEqualTo("10");
            JsonObject payload = json(push.payload());
            JsonObject alert = payload.getJsonObject("aps").getJsonObject("alert");
            assertThat(alert.getString("title")).isEqualTo("Invitation to Finals Week");
            assertThat(alert.getString("body")).isEqualTo("Sam invites you to join Finals Week.");
            assertThat(payload.getJsonObject("aps").getString("sound")).isEqualTo("default");
            assertThat(payload.getString("notification_id")).isEqualTo(NOTIFICATION.toString());
            assertThat(payload.getString("kind")).isEqualTo("group_invite");
            assertThat(payload.getString("group_id")).isEqualTo(GROUP.toString());
        });
    }

    @Test
    void aDeviceInFrenchReadsFrenchAndOneInAnUntranslatedLanguageEnglish() throws Exception {
        String french = token();
        String japanese = token();
        assertThat(sent(apns, invite("apns"), new OutboxItem.Device("apns", french, Optional.of("fr-CA"))).outcome())
                .isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(sent(apns, invite("apns"), new OutboxItem.Device("apns", japanese, Optional.of("ja"))).outcome())
                .isEqualTo(Delivery.Outcome.DELIVERED);

        JsonObject frenchAlert = json(apnsServer.to(french).get(0).payload()).getJsonObject("aps").getJsonObject("alert");
        assertThat(frenchAlert.getString("title")).isEqualTo("Sam vous a invité à rejoindre Finals Week");
        assertThat(frenchAlert.getString("body")).isEqualTo("Ouvrez LockIN pour rejoindre Finals Week ou décliner l’invitation.");
        JsonObject japaneseAlert = json(apnsServer.to(japanese).get(0).payload()).getJsonObject("aps").getJsonObject("alert");
        assertThat(japaneseAlert.getString("title")).isEqualTo("Invitation to Finals Week");
    }

    @Test
    void anUnregisteredTokenIsGoneAndAnApnsOutageFails() throws Exception {
        String gone = token();
        apnsServer.unregister(gone);
        Delivery delivery = sent(apns, invite("apns"), new OutboxItem.Device("apns", gone, Optional.empty()));
        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.GONE);
        assertThat(delivery.statusCode()).contains(410);
        assertThat(delivery.detail()).contains("Unregistered");

        String down = token();
        apnsServer.fail(down);
        Delivery failed = sent(apns, invite("apns"), new OutboxItem.Device("apns", down, Optional.empty()));
        assertThat(failed.outcome()).isEqualTo(Delivery.Outcome.FAILED);
        assertThat(failed.statusCode()).contains(503);
        assertThat(failed.detail().orElseThrow()).doesNotContain(down);
    }

    @Test
    void aServerThatDoesNotAnswerFailsTheItemWithoutAnError() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {   // accepts the connection, never speaks TLS
            ApnsPushes nowhere = new ApnsPushes(apnsSettings("localhost:" + silent.getLocalPort()), trusted);
            try {
                Delivery delivery = sent(nowhere, invite("apns"), new OutboxItem.Device("apns", token(), Optional.empty()));
                assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.FAILED);
            } finally {
                nowhere.close();
            }
        }
    }

    // ------------------------------------------------------------------ FCM

    @Test
    void anFcmMessageCarriesTheTokenTextDataAndCollapseKey() throws Exception {
        String token = token();
        Delivery delivery = sent(fcm, invite("fcm"), new OutboxItem.Device("fcm", token, Optional.of("de")));

        assertThat(delivery.outcome()).as(delivery.toString()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(fcmServer.to(token)).singleElement().satisfies(arrived -> {
            assertThat(arrived.project()).isEqualTo(TestFcm.PROJECT);
            JsonObject message = arrived.message();
            assertThat(message.getJsonObject("notification").getString("title")).isEqualTo("Sam hat dich zu Finals Week eingeladen");
            assertThat(message.getJsonObject("data").getString("notification_id")).isEqualTo(NOTIFICATION.toString());
            assertThat(message.getJsonObject("data").getString("kind")).isEqualTo("group_invite");
            assertThat(message.getJsonObject("data").getString("group_id")).isEqualTo(GROUP.toString());
            assertThat(message.getJsonObject("android").getString("collapse_key")).isEqualTo(NOTIFICATION.toString());
            assertThat(message.getJsonObject("android").getString("priority")).isEqualTo("high");
            assertThat(message.getJsonObject("apns").getJsonObject("headers").getString("apns-collapse-id"))
                    .isEqualTo(NOTIFICATION.toString());
        });
    }

    @Test
    void anFcmOutageFailsUnregisteredIsGoneAndTheAccessTokenIsReused() throws Exception {
        String token = token();
        fcmServer.failNext(token, 503, 1);
        Delivery failed = sent(fcm, invite("fcm"), new OutboxItem.Device("fcm", token, Optional.empty()));
        assertThat(failed.outcome()).isEqualTo(Delivery.Outcome.FAILED);
        assertThat(failed.statusCode()).contains(503);
        int tokens = fcmServer.tokenRequests();
        assertThat(sent(fcm, invite("fcm"), new OutboxItem.Device("fcm", token, Optional.empty())).outcome())
                .isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(fcmServer.tokenRequests()).as("one access token for many messages").isEqualTo(tokens);

        String gone = token();
        fcmServer.unregister(gone);
        Delivery delivery = sent(fcm, invite("fcm"), new OutboxItem.Device("fcm", gone, Optional.empty()));
        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.GONE);
        assertThat(delivery.statusCode()).contains(404);
        assertThat(delivery.detail().orElseThrow()).contains("UNREGISTERED").doesNotContain(gone);

        String refused = token();
        fcmServer.failNext(refused, 400, 1);
        assertThat(sent(fcm, invite("fcm"), new OutboxItem.Device("fcm", refused, Optional.empty())).outcome())
                .isEqualTo(Delivery.Outcome.REFUSED);
    }

    // ------------------------------------------------------------------ settings

    @Test
    void withoutSettingsBothChannelsSkip() throws Exception {
        ApnsPushes noApns = new ApnsPushes(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), trusted);
        FcmPushes noFcm = new FcmPushes(Optional.empty(), Optional.empty(), "https://fcm.googleapis.com", trusted);
        assertThat(sent(noApns, invite("apns"), new OutboxItem.Device("apns", token(), Optional.empty())).outcome())
                .isEqualTo(Delivery.Outcome.SKIPPED);
        assertThat(sent(noFcm, invite("fcm"), new OutboxItem.Device("fcm", token(), Optional.empty())).outcome())
                .isEqualTo(Delivery.Outcome.SKIPPED);
    }

    @Test
    void aWrongSettingIsRefusedWithItsName() throws Exception {
        Optional<String> key = Optional.of(WORK.resolve("apns.p8").toString());
        assertThatThrownBy(() -> ApnsPushes.Settings.of(Optional.of("T"), Optional.empty(), key, Optional.of("app"),
                Optional.empty(), Optional.empty())).hasMessageContaining("LOCKIN_APNS_KEY_ID");
        assertThatThrownBy(() -> ApnsPushes.Settings.of(Optional.of("T"), Optional.of("K"), key, Optional.of("app"),
                Optional.of("staging"), Optional.empty())).hasMessageContaining("LOCKIN_APNS_ENVIRONMENT");
        assertThatThrownBy(() -> new ApnsPushes(Optional.of("T"), Optional.of("K"), Optional.of("/nonexistent/key.p8"),
                Optional.of("app"), Optional.empty(), Optional.empty(), trusted))
                .hasMessageContaining("LOCKIN_APNS_KEY_PATH names a file that cannot be read: /nonexistent/key.p8");
        Path notAKey = Files.writeString(WORK.resolve("not-a-key.p8"), "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new ApnsPushes(Optional.of("T"), Optional.of("K"), Optional.of(notAKey.toString()),
                Optional.of("app"), Optional.empty(), Optional.empty(), trusted))
                .hasMessageContaining("LOCKIN_APNS_KEY_PATH names a file that is not an APNs .p8 signing key");

        assertThatThrownBy(() -> new FcmPushes(Optional.of("/nonexistent/sa.json"), Optional.empty(), "https://fcm.googleapis.com", trusted))
                .hasMessageContaining("LOCKIN_FCM_CREDENTIALS names a file that cannot be read");
        Path notJson = Files.writeString(WORK.resolve("not-a-service-account.json"), "{\"type\": \"authorized_user\"}");
        assertThatThrownBy(() -> new FcmPushes(Optional.of(notJson.toString()), Optional.empty(), "https://fcm.googleapis.com", trusted))
                .hasMessageContaining("LOCKIN_FCM_CREDENTIALS names a file that is not a Google service account");
    }
}
