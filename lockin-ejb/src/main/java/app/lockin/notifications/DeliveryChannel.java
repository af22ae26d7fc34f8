package app.lockin.notifications;

import java.util.concurrent.CompletionStage;

/**
 * A way out of LockIN: APNs, FCM or webhooks. The outbox's dispatcher
 * ({@link Outbox}) claims due items and hands each to the channel named by
 * its {@link OutboxItem#channel()}, with the address read in the same claim.
 * A channel never throws: every failure is a {@link Delivery} (an exception
 * completing the stage is taken as {@link Delivery.Outcome#FAILED}). The stage
 * may complete on any thread; it must complete (timeouts are the channel's:
 * 10 s at most), or the item's lease runs out and another attempt follows.
 */
public interface DeliveryChannel {

    /** {@code apns}, {@code fcm} or {@code webhook}: the outbox items this channel sends. */
    String name();

    CompletionStage<Delivery> send(OutboxItem item, OutboxItem.Address address);
}
