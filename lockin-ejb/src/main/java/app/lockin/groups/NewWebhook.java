package app.lockin.groups;

import java.util.List;

import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /api/groups/{id}/webhooks}: an https URL, the
 * events wanted, and the format ({@code standard} when left out,
 * {@code slack}, {@code discord}). The address rule is
 * {@link app.lockin.notifications.WebhookAddresses}'s; the events and the
 * format are held to their lists by the database (webhooks checks, V9),
 * whose comments are the 422's wording.
 */
public record NewWebhook(@NotNull(message = "is required") String url,
        @NotNull(message = "is required") List<String> events,
        String format) {
}
