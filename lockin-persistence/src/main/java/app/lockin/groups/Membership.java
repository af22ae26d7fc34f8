package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A person's place in a group: a row of group_members. */
@Entity
@Table(name = "group_members")
@NamedQuery(name = Membership.OF_USER,
        query = "select m from Membership m join fetch m.group where m.userId = :userId order by m.joinedAt desc")
public class Membership {

    public static final String OF_USER = "Membership.ofUser";

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "group_id")
    private Group group;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(nullable = false)
    @Convert(converter = MemberRole.Column.class)
    private MemberRole role;

    @Column(name = "override_period_target_minutes")
    private Integer overridePeriodTargetMinutes;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant joinedAt;

    protected Membership() {
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
        return role;
    }

    public Integer overridePeriodTargetMinutes() {
        return overridePeriodTargetMinutes;
    }

    public Instant joinedAt() {
        return joinedAt;
    }
}
