package app.lockin.groups;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/**
 * What the owner and admins may change of a group: {@code PATCH
 * /api/groups/{id}} is a JSON Merge Patch of it (a null description clears it).
 */
public record GroupSettings(
        @NotNull(message = "is required") String name,
        String description,
        @NotNull(message = "is required") Instant endAt,
        @NotNull(message = "is required") Integer periodTargetMinutes,
        @NotNull(message = "is required") DeclaredTime declaredTime) {

    static GroupSettings of(Group group) {
        return new GroupSettings(group.name(), group.description(), group.endAt(), group.periodTargetMinutes(),
                group.declaredTime());
    }
}
