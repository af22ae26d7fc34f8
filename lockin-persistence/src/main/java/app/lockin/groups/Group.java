package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;

/**
 * A time-boxed focus group with a target per period. Its rules are the
 * database's (constraints and triggers of groups: docs/RULES.md); the entity
 * normalises what it is given (trimmed names, defaults).
 */
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
    private String period;

    @Column(name = "period_target_minutes", nullable = false)
    private int periodTargetMinutes;

    @Column(name = "declared_time", nullable = false)
    private String declaredTime;

    /** Set by the database: pending before start_at, active after, archived by the archival (stored; read it through group_status_now). */
    @Column(insertable = false, updatable = false)
    private String status;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", insertable = false, updatable = false)
    private Instant updatedAt;

    protected Group() {
    }

    /**
     * A new group owned by {@code ownerId}, in UTC and daily unless told
     * otherwise; without a start it starts when the database stores it. Its
     * rules (lengths, window, time zone, target) are the table's.
     */
    public static Group create(UUID ownerId, String name, String description, Instant startAt, Instant endAt,
            String timezone, Period period, int periodTargetMinutes) {
        Group group = new Group();
        group.id = UUID.randomUUID();
        group.ownerId = ownerId;
        group.name = trimmed(name);
        group.description = described(description);
        group.startAt = startAt;
        group.endAt = endAt;
        group.timezone = timezone == null ? "UTC" : timezone;
        group.period = Labels.of(period == null ? Period.DAILY : period);
        group.periodTargetMinutes = periodTargetMinutes;
        group.declaredTime = Labels.of(DeclaredTime.COUNTED);
        return group;
    }

    /**
     * Changes what the owner and admins may change; an archived group refuses
     * (groups_before_write). A new target or declared-time setting applies
     * from the current period on (the database's triggers).
     */
    public void change(String newName, String newDescription, Instant newEnd, int newTargetMinutes,
            DeclaredTime newDeclaredTime) {
        name = trimmed(newName);
        description = described(newDescription);
        endAt = newEnd;
        periodTargetMinutes = newTargetMinutes;
        declaredTime = Labels.of(newDeclaredTime);
    }

    private static String trimmed(String text) {
        return text == null ? null : text.strip();
    }

    /** A blank description is no description. */
    private static String described(String text) {
        return text == null || text.isBlank() ? null : text.strip();
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
        return Labels.parse(Period.class, period);
    }

    public int periodTargetMinutes() {
        return periodTargetMinutes;
    }

    public DeclaredTime declaredTime() {
        return Labels.parse(DeclaredTime.class, declaredTime);
    }

    public GroupStatus status() {
        return Labels.parse(GroupStatus.class, status);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
