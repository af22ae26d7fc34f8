package app.lockin.profiles;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import app.lockin.groups.Membership;
import app.lockin.rest.Wire;

/** A person's profile; on /api/me with the groups they belong to. */
public record ProfileResponse(
        UUID id, String email,
        String displayName, String avatarUrl,
        Instant createdAt,
        Instant updatedAt, List<MembershipResponse> memberships) {

    static ProfileResponse of(Me me) {
        Profile p = me.profile();
        return new ProfileResponse(p.id(), p.email(), p.displayName(), p.avatarUrl(), p.createdAt(), p.updatedAt(),
                me.memberships().stream().map(MembershipResponse::of).toList());
    }
    public record MembershipResponse(
            UUID groupId,
            String groupName, String role, String status) {
        static MembershipResponse of(Membership m) {
            return new MembershipResponse(m.group().id(), m.group().name(), Wire.name(m.role()), Wire.name(m.group().status()));
        }
    }
}
