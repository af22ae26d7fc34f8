package app.lockin.groups;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import app.lockin.database.Row;

/**
 * A group's webhook as its owner and admins see it: never its secret (that
 * is answered once, {@link WebhookWithSecret}). {@code failing_since}: the
 * first failure since the last delivery; {@code disabled_at}: when it was
 * turned off (by a manager, or after 24 hours of failures).
 */
public record WebhookResponse(UUID id, String url, List<String> events, String format, boolean enabled,
        Instant createdAt, Instant failingSince, Instant disabledAt) {

    static WebhookResponse of(Row row) {
        return new WebhookResponse(row.uuid("id"), row.string("url"), events(row), row.string("format"),
                row.bool("enabled"), row.instant("created_at"), row.instant("failing_since"), row.instant("disabled_at"));
    }

    static List<String> events(Row row) {
        return Arrays.stream(row.array("events")).map(String::valueOf).toList();
    }
}
