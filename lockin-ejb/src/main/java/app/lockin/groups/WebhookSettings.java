package app.lockin.groups;

import java.util.List;

import jakarta.validation.constraints.NotNull;

/**
 * What {@code PATCH /api/groups/{id}/webhooks/{wid}} may change (a JSON Merge
 * Patch of these): the events sent, and whether it is on. Turning a webhook
 * back on clears its failures (it gets 24 more hours of retries).
 */
public record WebhookSettings(@NotNull(message = "may not be null") List<String> events,
        @NotNull(message = "may not be null") Boolean enabled) {
}
