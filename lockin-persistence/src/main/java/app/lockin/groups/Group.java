package app.lockin.groups;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.rules.Conflict;
import app.lockin.rules.FieldError;
import app.lockin.rules.Invalid;

/**
 * A time-boxed focus group with a target per period. The database keeps the
 * same rules (constraints and triggers); checking them here first gives each
 * broken rule its field name.
 */
@Entity
@Table(name = "groups")
public class Group {

    public static final int NAME_MAX = 100;
    public static final int DESCRIPTION_MAX = 1000;
    public static final Duration LONGEST = Duration.ofDays(366);

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

    /** Set by the database: pending before start_at, active after, archived by the archival. */
    @Column(insertable = false, updatable = false)
    private String status;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", insertable = false, updatable = false)
    private Instant updatedAt;

    protected Group() {
    }

    /** A new group owned by {@code ownerId}; every broken rule is reported with its field. */
    public static Group create(UUID ownerId, String name, String description, Instant startAt, Instant endAt,
            String timezone, Period period, int periodTargetMinutes) {
        List<FieldError> errors = new ArrayList<>();
        Group group = new Group();
        group.id = UUID.randomUUID();
        group.ownerId = ownerId;
        group.name = checkedName(name, errors);
        group.description = checkedDescription(description, errors);
        group.timezone = checkedTimezone(timezone, errors);
        group.period = Labels.of(period);
        group.startAt = startAt;
        group.endAt = endAt;
        checkWindow(startAt, endAt, errors);
        group.periodTargetMinutes = periodTargetMinutes;
        checkTarget(period, periodTargetMinutes, "period_target_minutes", errors);
        Invalid.throwIfAny(errors);
        return group;
    }

    /** Nothing of an archived group changes any more. */
    public void requireWritable() {
        if (isArchived()) {
            throw new Conflict("This group is archived and can no longer change.");
        }
    }

    public void rename(String newName) {
        requireWritable();
        List<FieldError> errors = new ArrayList<>();
        String checked = checkedName(newName, errors);
        Invalid.throwIfAny(errors);
        name = checked;
    }

    public void describe(String newDescription) {
        requireWritable();
        List<FieldError> errors = new ArrayList<>();
        String checked = checkedDescription(newDescription, errors);
        Invalid.throwIfAny(errors);
        description = checked;
    }

    public void endAt(Instant newEnd) {
        requireWritable();
        List<FieldError> errors = new ArrayList<>();
        checkWindow(startAt, newEnd, errors);
        Invalid.throwIfAny(errors);
        endAt = newEnd;
    }

    public void retarget(int minutes) {
        requireWritable();
        List<FieldError> errors = new ArrayList<>();
        checkTarget(period(), minutes, "period_target_minutes", errors);
        Invalid.throwIfAny(errors);
        periodTargetMinutes = minutes;
    }

    /** A member's own target must fit in the group's period like the group's target does. */
    public void checkMemberTarget(Integer minutes) {
        if (minutes == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        checkTarget(period(), minutes, "override_period_target_minutes", errors);
        Invalid.throwIfAny(errors);
    }

    public boolean isArchived() {
        return status() == GroupStatus.ARCHIVED;
    }

    /**
     * The status as of {@code now}: a pending group whose start has come is
     * active even before the archival job promotes it.
     */
    public GroupStatus statusAt(Instant now) {
        GroupStatus current = status();
        if (current == GroupStatus.PENDING && !startAt.isAfter(now)) {
            return GroupStatus.ACTIVE;
        }
        return current;
    }

    private static String checkedName(String name, List<FieldError> errors) {
        String trimmed = name == null ? "" : name.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > NAME_MAX) {
            errors.add(new FieldError("name", "must have 1 to " + NAME_MAX + " characters after trimming"));
            return null;
        }
        return trimmed;
    }

    private static String checkedDescription(String description, List<FieldError> errors) {
        if (description == null || description.isBlank()) {
            return null;
        }
        String trimmed = description.strip();
        if (trimmed.codePointCount(0, trimmed.length()) > DESCRIPTION_MAX) {
            errors.add(new FieldError("description", "must have at most " + DESCRIPTION_MAX + " characters"));
        }
        return trimmed;
    }

    private static String checkedTimezone(String timezone, List<FieldError> errors) {
        if (timezone == null || !ZoneId.getAvailableZoneIds().contains(timezone)) {
            errors.add(new FieldError("timezone", "must be an IANA time zone such as Europe/Paris or UTC"));
            return timezone;
        }
        return timezone;
    }

    private static void checkWindow(Instant start, Instant end, List<FieldError> errors) {
        if (end == null) {
            errors.add(new FieldError("end_at", "is required"));
        } else if (!end.isAfter(start)) {
            errors.add(new FieldError("end_at", "must be after start_at"));
        } else if (end.isAfter(start.plus(LONGEST))) {
            errors.add(new FieldError("end_at", "must be at most 366 days after start_at"));
        }
    }

    private static void checkTarget(Period period, int minutes, String field, List<FieldError> errors) {
        if (minutes < 1 || minutes > period.maxTargetMinutes()) {
            errors.add(new FieldError(field, "must be between 1 and " + period.maxTargetMinutes()
                    + " for a " + period.name().toLowerCase(java.util.Locale.ROOT) + " group"));
        }
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
