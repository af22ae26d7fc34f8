package app.lockin.groups;

import java.time.Instant;

/** What a new group is made of; null start means now, null timezone UTC, null period daily. */
public record NewGroup(String name, String description, Instant startAt, Instant endAt, String timezone, Period period,
        int periodTargetMinutes) {
}
