package app.lockin.notifications;

import java.time.Instant;
import java.util.UUID;

import app.lockin.database.Labels;
import app.lockin.database.Row;

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

    /** A row of notifications: its columns by name, kind and status as text. */
    public static NotificationResponse of(Row r) {
        return new NotificationResponse(r.uuid("id"), Labels.parse(NotificationKind.class, r.string("kind")),
                Labels.parse(NotificationStatus.class, r.string("status")), r.string("title"), r.string("body"),
                r.uuid("group_id"), r.uuid("actor_id"), r.instant("created_at"), r.instant("read_at"));
    }

    public static NotificationResponse of(Notification n) {
        return new NotificationResponse(n.id(), n.kind(), n.status(), n.title(), n.body(), n.groupId(), n.actorId(),
                n.createdAt(), n.readAt());
    }
}
