package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import app.lockin.rest.Wire;

/** A group as the API shows it to one of its members. */
public record GroupResponse(
        UUID id,
        UUID ownerId,
        String name,
        String description,
        Instant startAt,
        Instant endAt,
        String timezone,
        String period,
        int periodTargetMinutes,
        String status,
        long memberCount,
        String myRole,
        Instant createdAt,
        Instant updatedAt) {

    static GroupResponse of(GroupView view) {
        Group g = view.group();
        return new GroupResponse(g.id(), g.ownerId(), g.name(), g.description(), g.startAt(), g.endAt(), g.timezone(),
                Wire.name(g.period()), g.periodTargetMinutes(), Wire.name(g.statusAt(Instant.now())), view.memberCount(),
                Wire.name(view.myRole()), g.createdAt(), g.updatedAt());
    }
}
