package app.lockin.groups;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import app.lockin.notifications.EmailInvite;
import app.lockin.notifications.Notification;
import app.lockin.notifications.NotificationKind;
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
     * Invites someone, named by profile id or by email, to the group. An
     * email without an account answers as one with an account (no
     * enumeration of addresses): the invite waits for that address to sign up
     * ({@link EmailInvite}) and becomes, under the id answered now, the
     * notification in their inbox.
     */
    public NotificationResponse invite(UUID caller, UUID groupId, Optional<UUID> recipientId, Optional<String> email) {
        Membership me = Access.manager(em, groupId, caller);
        Group group = em.find(Group.class, groupId, LockModeType.PESSIMISTIC_READ);
        Optional<Profile> recipient = recipientId.isPresent()
                ? Optional.of(Optional.ofNullable(em.find(Profile.class, recipientId.get()))
                        .orElseThrow(() -> new NotFound("user not found")))
                : email.flatMap(this::byEmail);
        if (recipient.isPresent() && !Access.lock(em, groupId, List.of(recipient.get().id())).isEmpty()) {
            throw new Conflict("This person is already a member of the group.");
        }
        Profile actor = em.find(Profile.class, me.userId());
        Notification invite = Notification.invite(group, recipient.map(Profile::id).orElse(null), caller, actor.displayName());
        if (recipient.isEmpty()) {
            // a second invite of the group to a waiting address, or an archived group: the database refuses
            // (email_invites_one_per_group_and_email, email_invites_before_insert)
            EmailInvite waiting = EmailInvite.waitingFor(email.orElseThrow().strip(), invite);
            em.persist(waiting);
            em.flush();
            em.refresh(waiting);
            return NotificationResponse.pendingInvite(invite, waiting.createdAt());
        }
        // a pending invite already: the database refuses (notifications_one_pending_invite)
        em.persist(invite);
        em.flush();
        em.refresh(invite);
        return NotificationResponse.of(invite);
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
        em.refresh(membership);
        return MemberResponse.of(em, membership, em.find(Profile.class, caller), caller);
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
