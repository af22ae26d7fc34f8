package app.lockin.profiles;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import app.lockin.groups.GroupStatus;
import app.lockin.groups.MemberRole;

/** One's own profile with the groups one belongs to (newest membership first), read in one transaction. */
public record ProfileResponse(
        UUID id,
        String email,
        String displayName,
        String avatarUrl,
        Instant createdAt,
        Instant updatedAt,
        List<MembershipResponse> memberships) {

    /** A group one belongs to, its status as of now by the database's clock, and when one joined. */
    public record MembershipResponse(UUID groupId, String groupName, MemberRole role, GroupStatus status, Instant joinedAt) {
    }

    /** The same profile with these memberships (a first page of them). */
    public ProfileResponse withMemberships(List<MembershipResponse> shown) {
        return new ProfileResponse(id, email, displayName, avatarUrl, createdAt, updatedAt, shown);
    }
}
