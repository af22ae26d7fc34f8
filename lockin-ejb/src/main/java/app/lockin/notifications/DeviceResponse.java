package app.lockin.notifications;

import java.time.Instant;
import java.util.UUID;

import app.lockin.database.Row;

/** A registered phone as its person sees it: never its token. */
public record DeviceResponse(UUID id, String platform, String appVersion, String locale, Instant createdAt,
        Instant lastSeenAt) {

    static DeviceResponse of(Row row) {
        return new DeviceResponse(row.uuid("id"), row.string("platform"), row.string("app_version"), row.string("locale"),
                row.instant("created_at"), row.instant("last_seen_at"));
    }
}
