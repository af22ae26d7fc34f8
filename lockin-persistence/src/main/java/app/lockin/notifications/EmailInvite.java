package app.lockin.notifications;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;

/**
 * An invite by email to an address without an account: it waits, under the
 * id its notification will have, for a profile with that address (the
 * database's provision_profile turns it into the notification at sign-up).
 */
@Entity
@Table(name = "email_invites")
public class EmailInvite {

    @Id
    private UUID id;

    @Column(name = "group_id", nullable = false)
    private UUID groupId;

    @Column(nullable = false)
    private String email;

    /** Nullable (the inviter's profile deleted): kept as text, see Labels. */
    @Column(name = "actor_id")
    private String actorId;

    @Column(nullable = false)
    private String title;

    private String body;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected EmailInvite() {
    }

    /** The invite, as it will be delivered, waiting for {@code email}. */
    public static EmailInvite waitingFor(String email, Notification invite) {
        EmailInvite waiting = new EmailInvite();
        waiting.id = invite.id();
        waiting.groupId = invite.groupId();
        waiting.email = email;
        waiting.actorId = Labels.of(invite.actorId());
        waiting.title = invite.title();
        waiting.body = invite.body();
        return waiting;
    }

    public UUID id() {
        return id;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
