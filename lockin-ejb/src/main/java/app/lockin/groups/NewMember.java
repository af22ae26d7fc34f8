package app.lockin.groups;

import java.util.UUID;

import jakarta.validation.constraints.NotNull;

/** The body of {@code POST /api/groups/{id}/members}: whom to add, as a member (the default) or admin. */
public record NewMember(@NotNull(message = "is required") UUID userId, MemberRole role) {
}
