package app.lockin.notifications;

import java.util.Optional;

/**
 * What became of one attempt to send an {@link OutboxItem}, as the channel
 * saw it. The outbox decides what follows (R__19_outbox.sql,
 * {@code outbox_finish}): delivered is kept as delivered; a failure is tried
 * again after an exponential back-off with jitter until the item is 24 hours
 * old, then dead (kept for reading); gone removes the device; skipped means
 * the channel is not configured on this deployment (counted, never an error).
 *
 * @param outcome    what happened
 * @param statusCode the receiver's HTTP status, when it answered
 * @param detail     a short reason for operators (the provider's reason, the refused address); never a secret
 */
public record Delivery(Outcome outcome, Optional<Integer> statusCode, Optional<String> detail) {

    public enum Outcome {
        /** The receiver took it (2xx). */
        DELIVERED,
        /** Failed: try again later (5xx, 429, a timeout, a refused connection, a refused address at connection). */
        FAILED,
        /** The provider says the device token is no longer valid (APNs 410/Unregistered, FCM UNREGISTERED/404): the device goes. */
        GONE,
        /** The receiver refused it for good (a 4xx other than 408/429, a bad token): dead now, no retry. */
        REFUSED,
        /** The channel is not configured here (no APNs or FCM settings): counted as skipped. */
        SKIPPED
    }

    public static Delivery delivered(int statusCode) {
        return new Delivery(Outcome.DELIVERED, Optional.of(statusCode), Optional.empty());
    }

    public static Delivery failed(Integer statusCode, String detail) {
        return new Delivery(Outcome.FAILED, Optional.ofNullable(statusCode), Optional.ofNullable(detail));
    }

    public static Delivery gone(int statusCode, String detail) {
        return new Delivery(Outcome.GONE, Optional.of(statusCode), Optional.ofNullable(detail));
    }

    public static Delivery refused(Integer statusCode, String detail) {
        return new Delivery(Outcome.REFUSED, Optional.ofNullable(statusCode), Optional.ofNullable(detail));
    }

    public static Delivery skipped(String detail) {
        return new Delivery(Outcome.SKIPPED, Optional.empty(), Optional.ofNullable(detail));
    }
}
