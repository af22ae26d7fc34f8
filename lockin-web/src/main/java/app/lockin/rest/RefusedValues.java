package app.lockin.rest;

import java.util.Map;

import app.lockin.rules.FieldError;

/**
 * The database's check constraints as the API names them: each constraint
 * that a request's value can break (db/migration), with the field it is about
 * and what the value must be; and what its unique constraints mean. The database owns these rules; this is only how
 * its refusal reads to a client.
 */
final class RefusedValues {

    private static final String TARGET = "must be between 1 and 1440 for a daily group, 1 and 10080 for a weekly one";

    private static final Map<String, FieldError> BY_CONSTRAINT = Map.ofEntries(
            Map.entry("groups_name_length", new FieldError("name", "must have 1 to 100 characters after trimming")),
            Map.entry("groups_description_length", new FieldError("description", "must have at most 1000 characters")),
            Map.entry("groups_end_after_start", new FieldError("end_at", "must be after start_at")),
            Map.entry("groups_at_most_366_days", new FieldError("end_at", "must be at most 366 days after start_at")),
            Map.entry("groups_timezone_valid",
                    new FieldError("timezone", "must be an IANA time zone such as Europe/Paris or UTC")),
            Map.entry("groups_target_positive", new FieldError("period_target_minutes", TARGET)),
            Map.entry("groups_target_fits_period", new FieldError("period_target_minutes", TARGET)),
            Map.entry("group_members_override_positive",
                    new FieldError("override_period_target_minutes", "must be positive, or null for the group's target")),
            Map.entry("profiles_display_name_length",
                    new FieldError("display_name", "must have 1 to 50 characters after trimming")),
            Map.entry("profiles_avatar_url_length", new FieldError("avatar_url", "must have at most 2048 characters")),
            Map.entry("time_logs_end_after_start", new FieldError("ended_at", "must be after started_at")),
            Map.entry("time_logs_manual_at_most_24h",
                    new FieldError("ended_at", "must be at most 24 hours after started_at for a manual log")),
            Map.entry("join_links_expire_after_creation", new FieldError("expires_at", "must be in the future")),
            Map.entry("join_links_last_at_most_90_days", new FieldError("expires_at", "must be at most 90 days away")));

    /** What a unique constraint or index means when a request would break it. */
    private static final Map<String, String> DUPLICATES = Map.of(
            "group_members_group_user_key", "This person is already a member of the group.",
            "notifications_one_pending_invite", "This person already has a pending invite to the group.",
            "email_invites_one_per_group_and_email", "This address already has a pending invite to the group.");

    private RefusedValues() {
    }

    /** Why a row would be a duplicate, for a unique constraint's name. */
    static String duplicate(String constraint) {
        return constraint == null ? "This already exists." : DUPLICATES.getOrDefault(constraint, "This already exists.");
    }

    /** The field and rule of a check constraint; the column (or the body) when the constraint is not listed. */
    static FieldError of(String constraint, String column) {
        FieldError known = constraint == null ? null : BY_CONSTRAINT.get(constraint);
        return known != null ? known : new FieldError(column, "is out of the allowed range");
    }
}
