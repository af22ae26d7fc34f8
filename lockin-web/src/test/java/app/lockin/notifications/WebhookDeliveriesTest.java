package app.lockin.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.lockin.testing.StandardWebhooks;
import app.lockin.testing.TestTls;
import app.lockin.testing.WebhookReceiver;
import app.lockin.testing.WebhookReceiver.Answer;
import app.lockin.testing.WebhookReceiver.Received;

/**
 * The webhook channel alone, against a real HTTPS receiver of the test's
 * (no server, no database): what it sends, how it signs, what each answer
 * means, and its guards (no redirects, 10 s in all, 64 KB of an answer, the
 * address rule at connection). The outbox around it is WebhooksIT's.
 */
class WebhookDeliveriesTest {

    private static final String PING = """
            {"type": "ping", "timestamp": "2026-12-07T10:00:00.000Z", "data": {"group_id": "%s", "group_name": "Finals Week"}}"""
            .formatted(UUID.randomUUID());

    private static ExecutorService sending;
    private static ScheduledExecutorService aborting;
    private static WebhookDeliveries allowing;
    private static WebhookDeliveries refusing;

    private WebhookReceiver receiver;

    @BeforeAll
    static void channels() {
        TestTls.get();   // writes the authority the channel trusts
        TrustedCertificates trusted = new TrustedCertificates(Optional.of(TestTls.authorityPem().toString()));
        sending = Executors.newCachedThreadPool();
        aborting = Executors.newSingleThreadScheduledExecutor();
        allowing = WebhookDeliveries.of(trusted, WebhookAddresses.allowingPrivate(true), sending, aborting);
        refusing = WebhookDeliveries.of(trusted, WebhookAddresses.allowingPrivate(false), sending, aborting);
    }

    @AfterAll
    static void stop() {
        allowing.close();
        refusing.close();
        sending.shutdownNow();
        aborting.shutdownNow();
    }

    @BeforeEach
    void receiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    private static OutboxItem item(String event, String payload) {
        return new OutboxItem(UUID.randomUUID(), "webhook", UUID.randomUUID(), event, payload, 1, Instant.now());
    }

    private OutboxItem.Webhook hook(String path, String format, String secret, String previous) {
        return new OutboxItem.Webhook(receiver.url(path), format, secret, Optional.ofNullable(previous));
    }

    private static String secret() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static Delivery send(WebhookDeliveries channel, OutboxItem item, OutboxItem.Webhook hook) throws Exception {
        return channel.send(item, hook).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static JsonObject json(String text) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(text))) {
            return reader.readObject();
        }
    }

    @Test
    void aStandardEventIsThePayloadSignedAsTheSpecificationSays() throws Exception {
        String secret = secret();
        OutboxItem item = item("ping", PING);
        long before = Instant.now().getEpochSecond();

        Delivery delivery = send(allowing, item, hook("/standard", "standard", secret, null));

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(delivery.statusCode()).contains(200);
        Received request = receiver.receivedAt("/standard").get(0);
        assertThat(request.body()).isEqualTo(PING);
        assertThat(request.header("webhook-id")).isEqualTo(item.id().toString());
        assertThat(Long.parseLong(request.header("webhook-timestamp"))).isBetween(before, Instant.now().getEpochSecond());
        assertThat(StandardWebhooks.signatures(request.header("webhook-signature"))).hasSize(1);
        assertThat(StandardWebhooks.verifies(secret, request)).as(request.header("webhook-signature")).isTrue();
        assertThat(StandardWebhooks.verifies(secret(), request)).as("another secret").isFalse();
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("user-agent")).contains("LockIN");
    }

    @Test
    void withAPreviousSecretBothSignAndARetryKeepsItsId() throws Exception {
        String secret = secret();
        String previous = secret();
        OutboxItem item = item("ping", PING);
        send(allowing, item, hook("/rotated", "standard", secret, previous));
        OutboxItem again = new OutboxItem(item.id(), item.channel(), item.target(), item.event(), item.payload(), 2, item.createdAt());
        send(allowing, again, hook("/rotated", "standard", secret, null));

        Received first = receiver.receivedAt("/rotated").get(0);
        assertThat(StandardWebhooks.signatures(first.header("webhook-signature"))).hasSize(2);
        assertThat(StandardWebhooks.verifies(secret, first)).isTrue();
        assertThat(StandardWebhooks.verifies(previous, first)).isTrue();
        Received retry = receiver.receivedAt("/rotated").get(1);
        assertThat(retry.header("webhook-id")).isEqualTo(first.header("webhook-id"));
        assertThat(StandardWebhooks.verifies(previous, retry)).isFalse();
    }

    @Test
    void slackAndDiscordGetASentenceSignedToo() throws Exception {
        String secret = secret();
        String milestone = """
                {"type": "milestone_member", "timestamp": "2026-12-07T10:00:00Z", "data": {"group_id": "g", "group_name": "Finals <Week> & co",
                 "period_start": "2026-12-07T00:00:00Z", "user_id": "u", "display_name": "@everyone Alice", "target_minutes": 90}}""";
        send(allowing, item("milestone_member", milestone), hook("/slack", "slack", secret, null));
        send(allowing, item("milestone_member", milestone), hook("/discord", "discord", secret, null));

        Received slack = receiver.receivedAt("/slack").get(0);
        assertThat(json(slack.body()).getString("text"))
                .isEqualTo("@everyone Alice reached their goal of 1h 30m in Finals &lt;Week&gt; &amp; co 🎯");
        assertThat(StandardWebhooks.verifies(secret, slack)).isTrue();
        Received discord = receiver.receivedAt("/discord").get(0);
        JsonObject content = json(discord.body());
        assertThat(content.getString("content")).isEqualTo("@everyone Alice reached their goal of 1h 30m in Finals <Week> & co 🎯");
        assertThat(content.getJsonObject("allowed_mentions").getJsonArray("parse")).as("nobody pinged").isEmpty();
        assertThat(StandardWebhooks.verifies(secret, discord)).isTrue();
    }

    @Test
    void aPeriodSummaryListsTheTopOfTheBoardWithinDiscordsLimit() throws Exception {
        StringBuilder board = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            board.append(i > 1 ? "," : "").append("""
                    {"rank": %d, "user_id": "u%d", "display_name": "%s", "total_seconds": %d, "goal_met": %b}"""
                    .formatted(i, i, "Member " + "x".repeat(150) + i, 7500 - i * 60, i <= 2));
        }
        String summary = """
                {"type": "period_closed", "timestamp": "2026-12-07T00:00:00Z", "data": {"group_id": "g", "group_name": "Finals Week",
                 "period_start": "2026-12-06T00:00:00Z", "period_end": "2026-12-07T00:00:00Z", "target_minutes": 60, "board": [%s]}}"""
                .formatted(board);
        send(allowing, item("period_closed", summary), hook("/summary", "discord", secret(), null));

        String content = json(receiver.receivedAt("/summary").get(0).body()).getString("content");
        assertThat(content).startsWith("The period is over in Finals Week. Final board:\n1. Member");
        assertThat(content).contains("— 2h 04m ✅");
        assertThat(content.codePointCount(0, content.length())).isLessThanOrEqualTo(2000);
    }

    @Test
    void whatEachAnswerMeans() throws Exception {
        receiver.answer(Answer.status(500), Answer.status(429), Answer.status(404), Answer.status(410), Answer.status(204));
        OutboxItem.Webhook hook = hook("/answers", "standard", secret(), null);
        assertThat(send(allowing, item("ping", PING), hook)).isEqualTo(Delivery.failed(500, "the receiver answered 500"));
        assertThat(send(allowing, item("ping", PING), hook).outcome()).isEqualTo(Delivery.Outcome.FAILED);
        assertThat(send(allowing, item("ping", PING), hook).outcome()).as("404: may be mended").isEqualTo(Delivery.Outcome.FAILED);
        assertThat(send(allowing, item("ping", PING), hook).outcome()).as("410: gone").isEqualTo(Delivery.Outcome.REFUSED);
        assertThat(send(allowing, item("ping", PING), hook)).isEqualTo(Delivery.delivered(204));
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        receiver.answer(Answer.redirect(receiver.url("/elsewhere")));
        Delivery delivery = send(allowing, item("ping", PING), hook("/moved", "standard", secret(), null));
        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.FAILED);
        assertThat(delivery.statusCode()).contains(302);
        assertThat(receiver.receivedAt("/moved")).hasSize(1);
        // the attempt is over when send answers: a redirect followed would have reached /elsewhere by now
        assertThat(receiver.receivedAt("/elsewhere")).isEmpty();
    }

    @Test
    void aReceiverThatDoesNotAnswerWithinTenSecondsFails() throws Exception {
        receiver.answer(Answer.slow(Duration.ofSeconds(25)));
        long start = System.nanoTime();
        Delivery delivery = send(allowing, item("ping", PING), hook("/slow", "standard", secret(), null));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.FAILED);
        assertThat(delivery.statusCode()).isEmpty();
        assertThat(took).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(13));
    }

    @Test
    void anEndlessAnswerIsReadTo64KbOnly() throws Exception {
        receiver.answer(Answer.endless());
        long start = System.nanoTime();
        Delivery delivery = send(allowing, item("ping", PING), hook("/endless", "standard", secret(), null));
        assertThat(delivery).isEqualTo(Delivery.delivered(200));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRefusedAddressIsRefusedAtConnectionAndNothingIsSent() throws Exception {
        // the receiver listens on 127.0.0.1, which the rule refuses: localhost resolves there at connection time
        Delivery delivery = send(refusing, item("ping", PING), hook("/private", "standard", secret(), null));
        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.FAILED);
        assertThat(delivery.statusCode()).isEmpty();
        assertThat(delivery.detail()).hasValueSatisfying(d -> assertThat(d).startsWith("refused address").contains("loopback"));
        Delivery literal = send(refusing, item("ping", PING), new OutboxItem.Webhook(
                receiver.url("/private").replace("localhost", "127.0.0.1"), "standard", secret(), Optional.empty()));
        assertThat(literal.detail()).hasValueSatisfying(d -> assertThat(d).startsWith("refused address"));
        assertThat(receiver.received()).isEmpty();
    }
}
