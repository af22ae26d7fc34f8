package app.lockin.groups;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import app.lockin.notifications.EmailInvite;
import app.lockin.notifications.Notification;
import app.lockin.database.Labels;
import app.lockin.notifications.NotificationKind;
import app.lockin.notifications.NotificationStatus;
import app.lockin.notifications.NotificationResponse;
import app.lockin.profiles.Profile;
import app.lockin.rules.Conflict;
import app.lockin.rules.NotFound;

/** Invites to groups: sent by owners and admins to a person's inbox, answered once by that person. */
@Stateless
public class Invites {

    private static final String INVITE_NOT_FOUND = "invite not found";

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /**
     * Invites someone, named by profile id or by email, to the group. By
     * profile id: 404 for nobody, 409 for a member or someone already
     * invited. By email, every outcome answers alike (no enumeration of
     * addresses, nor of who was invited before or is a member): the invite
     * as it reads, pending, dated now. An address without an account gets an
     * invite that waits for it to sign up ({@link EmailInvite}) and becomes,
     * under the id answered, the notification in their inbox; an address
     * already invited keeps its invite (its id is answered); a member's
     * address gets nothing.
     */
    public NotificationResponse invite(UUID caller, UUID groupId, Optional<UUID> recipientId, Optional<String> email) {
        Membership me = Access.manager(em, groupId, caller);
        Group group = em.find(Group.class, groupId, LockModeType.PESSIMISTIC_READ);
        Profile actor = em.find(Profile.class, me.userId());
        if (recipientId.isEmpty()) {
            return inviteByEmail(group, actor, email.orElseThrow().strip());
        }
        Profile recipient = Optional.ofNullable(em.find(Profile.class, recipientId.get()))
                .orElseThrow(() -> new NotFound("user not found"));
        if (!Access.lock(em, groupId, List.of(recipient.id())).isEmpty()) {
            throw new Conflict("This person is already a member of the group.");
        }
        Notification invite = Notification.invite(group, recipient.id(), caller, actor.displayName());
        // a pending invite already: the database refuses (notifications_one_pending_invite)
        em.persist(invite);
        em.flush();
        em.refresh(invite);
        return NotificationResponse.of(invite);
    }

    private NotificationResponse inviteByEmail(Group group, Profile actor, String email) {
        Instant now = ((Timestamp) em.createNativeQuery("select now()").getSingleResult()).toInstant();
        Optional<Profile> recipient = byEmail(email);
        Notification invite = Notification.invite(group, recipient.map(Profile::id).orElse(null), actor.id(), actor.displayName());
        UUID answered = invite.id();
        if (recipient.isEmpty()) {
            Optional<UUID> waiting = em.createQuery("select w.id from EmailInvite w where w.groupId = :groupId and w.email = :email",
                            UUID.class)
                    .setParameter("groupId", group.id())
                    .setParameter("email", email)
                    .getResultStream().findFirst();
            if (waiting.isPresent()) {
                answered = waiting.get();
            } else {
                // an archived group: the database refuses (email_invites_before_insert)
                em.persist(EmailInvite.waitingFor(email, invite));
                em.flush();
            }
        } else if (Access.lock(em, group.id(), List.of(recipient.get().id())).isEmpty()) {
            Optional<UUID> pending = em.createQuery("select n.id from Notification n where n.recipientId = :recipient"
                            + " and n.groupId = :groupId and n.kind = :kind and n.status = :status", UUID.class)
                    .setParameter("recipient", recipient.get().id())
                    .setParameter("groupId", Labels.of(group.id()))
                    .setParameter("kind", Labels.of(NotificationKind.GROUP_INVITE))
                    .setParameter("status", Labels.of(NotificationStatus.PENDING))
                    .getResultStream().findFirst();
            if (pending.isPresent()) {
                answered = pending.get();
            } else {
                em.persist(invite);
                em.flush();
            }
        }
        return NotificationResponse.pendingInvite(invite, answered, now);
    }

    /** Accepts an invite: the caller becomes a member. Only the recipient, only once, not for an archived group. */
    public MemberResponse accept(UUID caller, UUID inviteId) {
        Notification invite = pendingFor(caller, inviteId);
        invite.accept();
        Group group = em.find(Group.class, invite.groupId(), LockModeType.PESSIMISTIC_READ);
        if (group == null) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        // already a member: the database refuses (group_members_group_user_key)
        Membership membership = Membership.join(group, caller, MemberRole.MEMBER);
        em.persist(membership);
        em.flush();
        return MemberResponse.read(em, group.id(), caller, caller);
    }

    public NotificationResponse decline(UUID caller, UUID inviteId) {
        Notification invite = pendingFor(caller, inviteId);
        invite.decline();
        em.flush();
        em.refresh(invite);
        return NotificationResponse.of(invite);
    }

    /** The caller's invite, locked: two answers racing on it are serialised, the second sees it answered. */
    private Notification pendingFor(UUID caller, UUID inviteId) {
        Notification invite = em.find(Notification.class, inviteId, LockModeType.PESSIMISTIC_WRITE);
        if (invite == null || !invite.isFor(caller) || invite.kind() != NotificationKind.GROUP_INVITE) {
            throw new NotFound(INVITE_NOT_FOUND);
        }
        return invite;
    }

    private Optional<Profile> byEmail(String email) {
        return em.createQuery("select p from Profile p where p.email = :email", Profile.class)
                .setParameter("email", email.strip())
                .getResultStream().findFirst();
    }
}
