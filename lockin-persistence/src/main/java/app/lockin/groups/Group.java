package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A time-boxed focus group with a target per period. */
@Entity
@Table(name = "groups")
public class Group {

    @Id
    private UUID id;

    @Column(name = "owner_id", nullable = false)
    private UUID ownerId;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(name = "start_at", nullable = false)
    private Instant startAt;

    @Column(name = "end_at", nullable = false)
    private Instant endAt;

    @Column(nullable = false)
    private String timezone;

    @Column(nullable = false)
    @Convert(converter = Period.Column.class)
    private Period period;

    @Column(name = "period_target_minutes", nullable = false)
    private int periodTargetMinutes;

    /** Set by the database: pending before start_at, active after, archived by the archival job. */
    @Column(insertable = false, updatable = false)
    @Convert(converter = GroupStatus.Column.class)
    private GroupStatus status;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", insertable = false, updatable = false)
    private Instant updatedAt;

    protected Group() {
    }

    public boolean isArchived() {
        return status == GroupStatus.ARCHIVED;
    }

    public UUID id() {
        return id;
    }

    public UUID ownerId() {
        return ownerId;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public Instant startAt() {
        return startAt;
    }

    public Instant endAt() {
        return endAt;
    }

    public String timezone() {
        return timezone;
    }

    public Period period() {
        return period;
    }

    public int periodTargetMinutes() {
        return periodTargetMinutes;
    }

    public GroupStatus status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
