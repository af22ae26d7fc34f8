package app.lockin.notifications;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One thing to send, as the outbox holds it and this instance claimed it
 * (table {@code outbox}, R__19_outbox.sql): a push to one device, or an event
 * to one webhook. The id is the delivery's identity for the receiver: the
 * same on every attempt (APNs collapse id and {@code apns-id}, FCM collapse
 * key, the {@code webhook-id} header), so a receiver can drop a repeat.
 *
 * @param id        the item's id, the same on every attempt
 * @param channel   {@code apns}, {@code fcm} or {@code webhook}
 * @param target    the device (a push) or webhook (an event) it goes to
 * @param event     the notification kind (a push) or event type (a webhook)
 * @param payload   the item's JSON as written in the transaction that caused it
 * @param attempt   this attempt's number, from 1; also the fence of {@link Outbox#finish}
 * @param createdAt when the cause committed (the webhook's timestamp)
 */
public record OutboxItem(UUID id, String channel, UUID target, String event, String payload, int attempt,
                         Instant createdAt) {

    /** Where an item goes, read with the claim: a device or a webhook. */
    public sealed interface Address permits Device, Webhook {
    }

    /** A phone: the provider's token (a secret, never logged) and the device's locale, when known (BCP 47). */
    public record Device(String platform, String token, Optional<String> locale) implements Address {
    }

    /**
     * A group's webhook: its URL, {@code standard}/{@code slack}/{@code discord},
     * its secret and, within 24 h of a rotation, the one before (both sign).
     */
    public record Webhook(String url, String format, String secret, Optional<String> previousSecret) implements Address {
    }
}
