package app.lockin.groups;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import app.lockin.database.Row;

/**
 * A webhook with its secret: the answer of its creation and of a rotation,
 * the only ones that show it. After a rotation the secret before still signs
 * until {@code previous_secret_until} (24 hours, by the database's clock).
 */
public record WebhookWithSecret(UUID id, String url, List<String> events, String format, boolean enabled,
        Instant createdAt, Instant failingSince, Instant disabledAt, String secret, Instant previousSecretUntil) {

    static WebhookWithSecret of(Row row) {
        return new WebhookWithSecret(row.uuid("id"), row.string("url"), WebhookResponse.events(row), row.string("format"),
                row.bool("enabled"), row.instant("created_at"), row.instant("failing_since"), row.instant("disabled_at"),
                row.string("secret"), row.instant("previous_secret_until"));
    }
}
