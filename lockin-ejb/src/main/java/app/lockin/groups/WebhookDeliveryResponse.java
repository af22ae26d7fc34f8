package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import app.lockin.database.Row;

/**
 * One event sent, or to be sent, to a webhook (an outbox item): its id is
 * the {@code webhook-id} header the receiver got; {@code status} pending,
 * delivered or dead; {@code next_attempt_at} only while pending.
 */
public record WebhookDeliveryResponse(UUID id, String event, String status, int attempts, Integer lastStatusCode,
        Instant lastAttemptAt, Instant nextAttemptAt, Instant createdAt) {

    static WebhookDeliveryResponse of(Row row) {
        Object code = row.get("last_status_code");
        return new WebhookDeliveryResponse(row.uuid("id"), row.string("event"), row.string("status"), row.intValue("attempts"),
                code == null ? null : ((Number) code).intValue(), row.instant("last_attempt_at"),
                row.instant("next_attempt_at"), row.instant("created_at"));
    }
}
