package app.lockin.groups;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import jakarta.validation.constraints.NotNull;

import app.lockin.rest.JsonFields;

/**
 * The body of {@code POST /api/groups}. Lengths, the time window, the target's
 * range and the time zone are checked by {@link Group#create}, which knows
 * the period; here only what must be there.
 */
public record GroupCreate(
        @NotNull(message = "is required") String name,
        String description,
        Instant startAt,
        @NotNull(message = "is required") Instant endAt,
        String timezone,
        Period period,
        @NotNull(message = "is required") Integer periodTargetMinutes) {


    static final Set<String> FIELDS = Set.of("name", "description", "start_at", "end_at", "timezone", "period",
            "period_target_minutes");
    static final Set<String> READ_ONLY = Set.of("id", "owner_id", "status", "member_count", "my_role", "created_at", "updated_at");

    static GroupCreate from(JsonFields body) {
        GroupCreate request = new GroupCreate(
                body.string("name").orElse(null),
                body.nullableString("description").flatMap(d -> d).orElse(null),
                body.instant("start_at").orElse(null),
                body.instant("end_at").orElse(null),
                body.string("timezone").orElse(null),
                body.constant("period", EnumSet.allOf(Period.class)).orElse(null),
                body.integer("period_target_minutes").orElse(null));
        body.check();
        return request;
    }

    NewGroup toNewGroup() {
        return new NewGroup(name, description, startAt, endAt, timezone, period, periodTargetMinutes);
    }
}
