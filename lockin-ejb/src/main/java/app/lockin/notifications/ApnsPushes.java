package app.lockin.notifications;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.ApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;

/**
 * Pushes to iPhones through Apple's APNs: HTTP/2 with token authentication
 * (a .p8 signing key), through Pushy. Configured by
 * {@code LOCKIN_APNS_TEAM_ID}, {@code LOCKIN_APNS_KEY_ID},
 * {@code LOCKIN_APNS_KEY_PATH} (the .p8 file), {@code LOCKIN_APNS_TOPIC} (the
 * app's bundle id), {@code LOCKIN_APNS_ENVIRONMENT} ({@code production}, the
 * default, or {@code sandbox}) and, optionally, {@code LOCKIN_APNS_SERVER}
 * ({@code host:port} of a relay instead of Apple's). None set: APNs is off
 * here and every push answers {@link Delivery.Outcome#SKIPPED}. Some set but
 * not all, or a key that cannot be read: the deployment stops with a message
 * naming the setting ({@link PushProviders} builds this at start).
 * <p>
 * A push carries the item's id as {@code apns-id} and the notification's id
 * (the item's when it has none) as {@code apns-collapse-id}, so a retry never
 * shows twice; an answer within {@value #TIMEOUT_SECONDS} s or it failed.
 * Device tokens are never logged.
 */
@ApplicationScoped
public class ApnsPushes implements DeliveryChannel {

    static final String TEAM_ID = "LOCKIN_APNS_TEAM_ID";
    static final String KEY_ID = "LOCKIN_APNS_KEY_ID";
    static final String KEY_PATH = "LOCKIN_APNS_KEY_PATH";
    static final String TOPIC = "LOCKIN_APNS_TOPIC";
    static final String ENVIRONMENT = "LOCKIN_APNS_ENVIRONMENT";
    static final String SERVER = "LOCKIN_APNS_SERVER";

    static final int TIMEOUT_SECONDS = 10;
    /** How long APNs keeps trying to reach a phone that is off. */
    static final Duration EXPIRY = Duration.ofHours(24);
    /** Rejections that say the token is no good for this app any more: the device goes. */
    private static final Set<String> GONE = Set.of("Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic");

    private static final Logger LOG = Logger.getLogger(ApnsPushes.class.getName());

    /** The settings, read and checked; the client is built from them. */
    public record Settings(String teamId, String keyId, Path keyPath, String topic, String host, int port) {

        /**
         * The settings, checked; empty when none is set (APNs off). Some but not all, an
         * unknown environment or a bad server stop the deployment (IllegalStateException).
         */
        public static Optional<Settings> of(Optional<String> teamId, Optional<String> keyId, Optional<String> keyPath,
                                            Optional<String> topic, Optional<String> environment, Optional<String> server) {
            Optional<String> team = set(teamId);
            Optional<String> key = set(keyId);
            Optional<String> path = set(keyPath);
            Optional<String> app = set(topic);
            Optional<String> env = set(environment);
            Optional<String> relay = set(server);
            if (team.isEmpty() && key.isEmpty() && path.isEmpty() && app.isEmpty()) {
                if (env.isPresent() || relay.isPresent()) {
                    throw new IllegalStateException((env.isPresent() ? ENVIRONMENT : SERVER) + " is set but " + TEAM_ID
                            + ", " + KEY_ID + ", " + KEY_PATH + " and " + TOPIC + " are not: set them all, or none to turn APNs off");
                }
                return Optional.empty();
            }
            String host;
            int port = ApnsClientBuilder.DEFAULT_APNS_PORT;
            String environmentName = env.orElse("production").toLowerCase(Locale.ROOT);
            switch (environmentName) {
                case "production" -> host = ApnsClientBuilder.PRODUCTION_APNS_HOST;
                case "sandbox", "development" -> host = ApnsClientBuilder.DEVELOPMENT_APNS_HOST;
                default -> throw new IllegalStateException(ENVIRONMENT + " must be production or sandbox, not '"
                        + env.get() + "'");
            }
            if (relay.isPresent()) {
                String value = relay.get();
                int colon = value.lastIndexOf(':');
                try {
                    host = colon < 0 ? value : value.substring(0, colon);
                    port = colon < 0 ? ApnsClientBuilder.DEFAULT_APNS_PORT : Integer.parseInt(value.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (host.isEmpty() || port < 1 || port > 65535) {
                    throw new IllegalStateException(SERVER + " must be host:port (such as api.push.apple.com:443), not '"
                            + value + "'");
                }
            }
            return Optional.of(new Settings(
                    team.orElseThrow(() -> missing(TEAM_ID)), key.orElseThrow(() -> missing(KEY_ID)),
                    Path.of(path.orElseThrow(() -> missing(KEY_PATH))), app.orElseThrow(() -> missing(TOPIC)), host, port));
        }

        /** The .p8 key, read; a missing, unreadable or key-less file stops the deployment. */
        ApnsSigningKey signingKey() {
            File file = keyPath.toFile();
            if (!Files.isRegularFile(keyPath) || !Files.isReadable(keyPath)) {
                throw new IllegalStateException(KEY_PATH + " names a file that cannot be read: " + keyPath);
            }
            try {
                return ApnsSigningKey.loadFromPkcs8File(file, teamId, keyId);
            } catch (Exception e) {   // IOException, a bad key (InvalidKeyException, NoSuchAlgorithmException), bad base64
                throw new IllegalStateException(KEY_PATH + " names a file that is not an APNs .p8 signing key (PKCS#8, EC P-256): "
                        + keyPath + " (" + e.getClass().getSimpleName() + ")", e);
            }
        }

        private static Optional<String> set(Optional<String> value) {
            return value.map(String::strip).filter(v -> !v.isEmpty());
        }

        private static IllegalStateException missing(String setting) {
            return new IllegalStateException(setting + " is not set, but other LOCKIN_APNS_* settings are: set "
                    + TEAM_ID + ", " + KEY_ID + ", " + KEY_PATH + " and " + TOPIC + ", or none to turn APNs off");
        }
    }

    private final Optional<Settings> settings;
    private final ApnsClient client;

    @Inject
    public ApnsPushes(@ConfigProperty(name = TEAM_ID) Optional<String> teamId,
                      @ConfigProperty(name = KEY_ID) Optional<String> keyId,
                      @ConfigProperty(name = KEY_PATH) Optional<String> keyPath,
                      @ConfigProperty(name = TOPIC) Optional<String> topic,
                      @ConfigProperty(name = ENVIRONMENT) Optional<String> environment,
                      @ConfigProperty(name = SERVER) Optional<String> server,
                      TrustedCertificates trusted) {
        this(Settings.of(teamId, keyId, keyPath, topic, environment, server), trusted);
    }

    /** APNs with these settings (none: off), trusting {@code trusted}'s authorities. */
    public ApnsPushes(Optional<Settings> settings, TrustedCertificates trusted) {
        this.settings = settings;
        this.client = settings.map(s -> client(s, trusted)).orElse(null);
    }

    protected ApnsPushes() {
        this.settings = Optional.empty();
        this.client = null;
    }

    private static ApnsClient client(Settings settings, TrustedCertificates trusted) {
        ApnsClientBuilder builder = new ApnsClientBuilder()
                .setApnsServer(settings.host(), settings.port())
                .setSigningKey(settings.signingKey())
                .setConnectionTimeout(Duration.ofSeconds(5));
        if (trusted.extended()) {
            builder.setTrustedServerCertificateChain(trusted.certificates());
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("APNs: TLS cannot be set up (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String name() {
        return "apns";
    }

    /** What this instance does with APNs pushes, for the start-up log. */
    public String describe() {
        return settings.map(s -> "APNs pushes for " + s.topic() + " go to " + s.host() + ":" + s.port()
                        + " (team " + s.teamId() + ", key " + s.keyId() + ")")
                .orElse("APNs is not configured (LOCKIN_APNS_*): pushes to iPhones are skipped");
    }

    @Override
    public CompletionStage<Delivery> send(OutboxItem item, OutboxItem.Address address) {
        if (client == null) {
            return CompletableFuture.completedFuture(Delivery.skipped("APNs is not configured"));
        }
        if (!(address instanceof OutboxItem.Device device)) {
            return CompletableFuture.completedFuture(Delivery.refused(null, "not a device"));
        }
        SimpleApnsPushNotification push;
        try {
            push = notification(item, device, settings.get().topic());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Delivery.refused(null, e.getMessage()));
        }
        try {
            return client.sendNotification(push)
                    .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .handle((response, failure) -> failure == null ? outcome(response) : failure(failure));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    /** The APNs request of an item: its text in the device's language, ids that let APNs drop a repeat. */
    static SimpleApnsPushNotification notification(OutboxItem item, OutboxItem.Device device, String topic) {
        PushPayload payload = PushPayload.parse(item.payload());
        PushTexts.Text text = PushTexts.of(payload, device.locale());
        ApnsPayloadBuilder aps = new SimpleApnsPayloadBuilder()
                .setAlertTitle(text.title())
                .setSound(ApnsPayloadBuilder.DEFAULT_SOUND_FILENAME)
                .addCustomProperty("notification_id", payload.notificationId().orElse(null))
                .addCustomProperty("kind", payload.kind())
                .addCustomProperty("group_id", payload.groupId().orElse(null));
        text.body().ifPresent(aps::setAlertBody);
        String collapseId = payload.notificationId().orElse(item.id().toString());
        return new SimpleApnsPushNotification(device.token(), topic, aps.build(), Instant.now().plus(EXPIRY),
                DeliveryPriority.IMMEDIATE, PushType.ALERT, collapseId, item.id());
    }

    static Delivery outcome(PushNotificationResponse<?> response) {
        if (response.isAccepted()) {
            return Delivery.delivered(200);
        }
        int status = response.getStatusCode();
        String reason = response.getRejectionReason().orElse("HTTP " + status);
        if (status == 410 || GONE.contains(reason)) {
            return Delivery.gone(status, reason);
        }
        if (status == 429 || status >= 500 || reason.contains("ProviderToken")) {
            // the provider token is ours (Pushy makes a new one when APNs says it expired), not the item's fault
            return Delivery.failed(status, reason);
        }
        return Delivery.refused(status, reason);
    }

    static Delivery failure(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return Delivery.failed(null, "APNs did not answer within " + TIMEOUT_SECONDS + " s");
        }
        return Delivery.failed(null, "APNs: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    }

    @PreDestroy
    void close() {
        if (client != null) {
            try {
                client.close().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.FINE, "APNs client did not close cleanly", e);
            }
        }
    }
}
