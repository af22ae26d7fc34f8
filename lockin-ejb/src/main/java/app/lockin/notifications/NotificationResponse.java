package app.lockin.notifications;

import java.time.Instant;
import java.util.UUID;

/** An item of the inbox, read in the transaction that found or changed it. */
public record NotificationResponse(
        UUID id,
        NotificationKind kind,
        NotificationStatus status,
        String title,
        String body,
        UUID groupId,
        UUID actorId,
        Instant createdAt,
        Instant readAt) {

    /** An invite as it will be delivered (waiting for its recipient to sign up), made at {@code createdAt}. */
    /** An invite by email as its sender is answered, whatever became of it (see Invites): pending, unread, under {@code id}. */
    public static NotificationResponse pendingInvite(Notification n, UUID id, Instant createdAt) {
        return new NotificationResponse(id, n.kind(), n.status(), n.title(), n.body(), n.groupId(), n.actorId(),
                createdAt, null);
    }

    public static NotificationResponse of(Notification n) {
        return new NotificationResponse(n.id(), n.kind(), n.status(), n.title(), n.body(), n.groupId(), n.actorId(),
                n.createdAt(), n.readAt());
    }
}
