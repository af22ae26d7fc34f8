package app.lockin.notifications;

import java.time.Instant;
import java.util.UUID;

import app.lockin.rest.Wire;

/** An item of the inbox. */
public record NotificationResponse(
        UUID id,
        String kind,
        String status,
        String title,
        String body,
        UUID groupId,
        UUID actorId,
        Instant createdAt,
        Instant readAt) {

    public static NotificationResponse of(Notification n) {
        return new NotificationResponse(n.id(), Wire.name(n.kind()), Wire.name(n.status()), n.title(), n.body(),
                n.groupId(), n.actorId(), n.createdAt(), n.readAt());
    }
}
