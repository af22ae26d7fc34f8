package app.lockin.groups;

import jakarta.validation.constraints.NotNull;

/**
 * What may change of a membership: {@code PATCH /api/groups/{id}/members/{user_id}}
 * is a JSON Merge Patch of it (a null target means the group's).
 */
public record MemberSettings(Integer overridePeriodTargetMinutes, @NotNull(message = "is required") MemberRole role,
        @NotNull(message = "is required") Boolean hiddenFromLeaderboard) {

    static MemberSettings of(Membership membership) {
        return new MemberSettings(membership.overridePeriodTargetMinutes(), membership.role(),
                membership.isHiddenFromLeaderboard());
    }
}
