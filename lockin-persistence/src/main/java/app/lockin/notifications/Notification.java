package app.lockin.notifications;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.groups.Group;
import app.lockin.rules.Conflict;
import app.lockin.rules.NotFound;

/** An item of a person's inbox; an invite to a group is one of kind group_invite, answered once. */
@Entity
@Table(name = "notifications")
public class Notification {

    @Id
    private UUID id;

    @Column(name = "recipient_id", nullable = false)
    private UUID recipientId;

    /** Nullable ids are kept as text, since EclipseLink's UUID conversion fails on null (see Labels). */
    @Column(name = "actor_id")
    private String actorId;

    @Column(nullable = false)
    private String kind;

    @Column(nullable = false)
    private String status;

    @Column(nullable = false)
    private String title;

    private String body;

    @Column(name = "group_id")
    private String groupId;

    /** Set by the database, in milliseconds (the keyset cursor is taken from it). */
    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "read_at")
    private Instant readAt;

    protected Notification() {
    }

    /** An invite of {@code recipientId} to the group, sent by {@code actorId}. */
    public static Notification invite(Group group, UUID recipientId, UUID actorId, String actorName) {
        Notification invite = new Notification();
        invite.id = UUID.randomUUID();
        invite.recipientId = recipientId;
        invite.actorId = Labels.of(actorId);
        invite.kind = Labels.of(NotificationKind.GROUP_INVITE);
        invite.status = Labels.of(NotificationStatus.PENDING);
        invite.groupId = Labels.of(group.id());
        invite.title = "Invitation to " + group.name();
        invite.body = actorName + " invites you to join " + group.name() + ".";
        return invite;
    }

    /** Marks it read; the database stamps read_at by its clock (notifications_before_write); reading again keeps the first. */
    public void markRead() {
        if (readAt == null) {
            readAt = Instant.EPOCH;
        }
        if (kind() != NotificationKind.GROUP_INVITE && status() == NotificationStatus.PENDING) {
            status = Labels.of(NotificationStatus.READ);
        }
    }

    public void accept() {
        answer(NotificationStatus.ACCEPTED);
    }

    public void decline() {
        answer(NotificationStatus.DECLINED);
    }

    private void answer(NotificationStatus answer) {
        if (kind() != NotificationKind.GROUP_INVITE) {
            throw new NotFound("invite not found");
        }
        if (status() != NotificationStatus.PENDING) {
            throw new Conflict("This invite was already " + status + ".");
        }
        status = Labels.of(answer);
        markRead();
    }

    public boolean isFor(UUID profileId) {
        return recipientId.equals(profileId);
    }

    public UUID id() {
        return id;
    }

    public UUID recipientId() {
        return recipientId;
    }

    public UUID actorId() {
        return Labels.uuid(actorId);
    }

    public NotificationKind kind() {
        return Labels.parse(NotificationKind.class, kind);
    }

    public NotificationStatus status() {
        return Labels.parse(NotificationStatus.class, status);
    }

    public String title() {
        return title;
    }

    public String body() {
        return body;
    }

    public UUID groupId() {
        return Labels.uuid(groupId);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant readAt() {
        return readAt;
    }
}
