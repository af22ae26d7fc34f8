package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

/** A join link as its group's owner and admins see it. */
public record JoinLinkResponse(UUID id, String code, UUID groupId, UUID createdBy, Instant expiresAt, Integer maxUses,
        int uses, Instant revokedAt, Instant createdAt) {

    static JoinLinkResponse of(JoinLink link) {
        return new JoinLinkResponse(link.id(), link.code(), link.groupId(), link.createdBy(), link.expiresAt(),
                link.maxUses(), link.uses(), link.revokedAt(), link.createdAt());
    }
}
