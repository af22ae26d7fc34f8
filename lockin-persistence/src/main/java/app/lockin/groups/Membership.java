package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.rules.Forbidden;

/** A person's place in a group: a row of group_members. */
@Entity
@Table(name = "group_members")
@NamedQuery(name = Membership.OF_USER,
        query = "select m from Membership m join fetch m.group where m.userId = :userId order by m.joinedAt desc")
@NamedQuery(name = Membership.OF_GROUP,
        query = "select m from Membership m where m.group.id = :groupId order by m.joinedAt, m.id")
@NamedQuery(name = Membership.ONE,
        query = "select m from Membership m join fetch m.group where m.group.id = :groupId and m.userId = :userId")
@NamedQuery(name = Membership.COUNTS,
        query = "select m.group.id, count(m) from Membership m where m.group.id in :groupIds group by m.group.id")
public class Membership {

    public static final String OF_USER = "Membership.ofUser";
    public static final String OF_GROUP = "Membership.ofGroup";
    public static final String ONE = "Membership.one";
    public static final String COUNTS = "Membership.counts";

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "group_id")
    private Group group;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(nullable = false)
    private String role;

    @Column(name = "override_period_target_minutes")
    private Integer overridePeriodTargetMinutes;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant joinedAt;

    @Column(name = "hidden_from_leaderboard", nullable = false)
    private boolean hiddenFromLeaderboard;

    protected Membership() {
    }

    /** Someone joining a group (by invite or being added); an archived group refuses (group_members_before_write). */
    public static Membership join(Group group, UUID userId, MemberRole role) {
        Membership membership = new Membership();
        membership.id = UUID.randomUUID();
        membership.group = group;
        membership.userId = userId;
        membership.role = Labels.of(role);
        return membership;
    }

    public boolean managesMembers() {
        return role().managesMembers();
    }

    /** May this member change or remove {@code other}? Owners anyone, admins plain members; everyone themself. */
    public boolean manages(Membership other) {
        return role().manages(other.role());
    }

    public boolean isOwner() {
        return role() == MemberRole.OWNER;
    }

    /** The member's own target (null: the group's); it must fit the group's period (group_members_before_write). */
    public void overrideTarget(Integer minutes) {
        overridePeriodTargetMinutes = minutes;
    }

    /** Hides (or shows) the member's identity on the leaderboard to other plain members: theirs alone to choose. */
    public void hideFromLeaderboard(boolean hidden, Membership by) {
        if (by != this) {
            throw new Forbidden("Only the member themself hides from the leaderboard.");
        }
        hiddenFromLeaderboard = hidden;
    }

    public boolean isHiddenFromLeaderboard() {
        return hiddenFromLeaderboard;
    }

    public void changeRole(MemberRole newRole) {
        role = Labels.of(newRole);
    }

    public UUID id() {
        return id;
    }

    public Group group() {
        return group;
    }

    public UUID userId() {
        return userId;
    }

    public MemberRole role() {
        return Labels.parse(MemberRole.class, role);
    }

    public Integer overridePeriodTargetMinutes() {
        return overridePeriodTargetMinutes;
    }

    public Instant joinedAt() {
        return joinedAt;
    }
}
