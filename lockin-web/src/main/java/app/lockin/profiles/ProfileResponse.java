package app.lockin.profiles;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import app.lockin.groups.Membership;
import app.lockin.rest.Wire;

/** A person's profile; on /api/me with the groups they belong to. */
@Schema(name = "Profile")
public record ProfileResponse(
        UUID id,
        @Schema(nullable = true) String email,
        String displayName,
        @Schema(nullable = true) String avatarUrl,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "The caller's groups, newest membership first (on /api/me)") List<MembershipResponse> memberships) {

    static ProfileResponse of(Me me) {
        Profile p = me.profile();
        return new ProfileResponse(p.id(), p.email(), p.displayName(), p.avatarUrl(), p.createdAt(), p.updatedAt(),
                me.memberships().stream().map(MembershipResponse::of).toList());
    }

    @Schema(name = "Membership")
    public record MembershipResponse(
            UUID groupId,
            String groupName,
            @Schema(enumeration = {"owner", "admin", "member"}) String role,
            @Schema(enumeration = {"pending", "active", "archived"}) String status) {
        static MembershipResponse of(Membership m) {
            return new MembershipResponse(m.group().id(), m.group().name(), Wire.name(m.role()), Wire.name(m.group().status()));
        }
    }
}
