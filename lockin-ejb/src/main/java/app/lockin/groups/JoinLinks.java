package app.lockin.groups;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import app.lockin.rules.Conflict;
import app.lockin.rules.NotFound;

/**
 * Join links: owners and admins make, list and revoke them; anyone holding a
 * link's code joins its group with it. A use locks the link's row, so
 * {@code max_uses} holds exactly however many people race for the last one.
 */
@Stateless
public class JoinLinks {

    private static final String LINK_NOT_FOUND = "link not found";

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** A new link of the group (owner, admins); an archived group refuses it (409). */
    public JoinLinkResponse create(UUID caller, UUID groupId, NewJoinLink request) {
        Access.manager(em, groupId, caller);
        // an archived group: the database refuses (join_links_before_insert)
        JoinLink link = JoinLink.create(groupId, caller, request.expiresAt(), request.maxUses(), now());
        em.persist(link);
        em.flush();
        em.refresh(link);
        return JoinLinkResponse.of(link);
    }

    /** The group's links, newest first (owner, admins). */
    public List<JoinLinkResponse> list(UUID caller, UUID groupId) {
        Access.manager(em, groupId, caller);
        return em.createNamedQuery(JoinLink.OF_GROUP, JoinLink.class)
                .setParameter("groupId", groupId)
                .getResultStream()
                .map(JoinLinkResponse::of)
                .toList();
    }

    /** One link of the group (owner, admins). */
    public JoinLinkResponse get(UUID caller, UUID groupId, UUID linkId) {
        Access.manager(em, groupId, caller);
        return JoinLinkResponse.of(ofGroup(groupId, linkId));
    }

    /** Revokes a link of the group (owner, admins): it admits nobody any more. */
    public void revoke(UUID caller, UUID groupId, UUID linkId) {
        Access.manager(em, groupId, caller);
        ofGroup(groupId, linkId).revoke(now());
    }

    /**
     * The caller joins the link's group as a member: 404 for an unknown code;
     * 409 when they are a member already (whatever the link's state: the app
     * takes them to the group); 410 when the link is revoked, expired or used
     * up, or the group is archived.
     */
    public Joined join(UUID caller, String code) {
        JoinLink link = em.createNamedQuery(JoinLink.BY_CODE, JoinLink.class)
                .setParameter("code", code)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst()
                .orElseThrow(() -> new NotFound(LINK_NOT_FOUND));
        if (Access.find(em, link.groupId(), caller).isPresent()) {
            throw new Conflict("You are a member of this group already.");
        }
        link.use(now());
        em.flush();   // an archived group's link refuses the use (410): the database's join_links_before_use
        Group group = em.find(Group.class, link.groupId());
        Membership joined = Membership.join(group, caller, MemberRole.MEMBER);
        em.persist(joined);
        em.flush();
        return new Joined(group.id(), MemberResponse.read(em, group.id(), caller, caller));
    }

    /** Whom a link added, and to which group. */
    public record Joined(UUID groupId, MemberResponse member) {
    }

    private JoinLink ofGroup(UUID groupId, UUID linkId) {
        JoinLink link = em.find(JoinLink.class, linkId);
        if (link == null || !link.groupId().equals(groupId)) {
            throw new NotFound(LINK_NOT_FOUND);
        }
        return link;
    }

    /** The database's clock at the start of this transaction. */
    private Instant now() {
        return ((Timestamp) em.createNativeQuery("select now()").getSingleResult()).toInstant();
    }
}
