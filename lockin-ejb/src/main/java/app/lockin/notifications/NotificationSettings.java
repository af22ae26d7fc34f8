package app.lockin.notifications;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What a person wants pushed, and when not: {@code PATCH
 * /api/me/notification-settings} is a JSON Merge Patch of it. Each kind of
 * push on or off; quiet hours null (none) or from and to (HH:MM, local time
 * of the zone; to before from spans midnight) in an IANA time zone, which
 * the database checks (notification_settings checks, V8).
 */
public record NotificationSettings(@NotNull(message = "is required") @Valid Push push, @Valid QuietHours quietHours) {

    /** Whether each kind of notification is pushed (each required: a patch's null would clear it). */
    public record Push(@NotNull(message = "is required") Boolean groupInvite,
            @NotNull(message = "is required") Boolean milestoneMember,
            @NotNull(message = "is required") Boolean milestoneGroup,
            @NotNull(message = "is required") Boolean sessionAutopaused,
            @NotNull(message = "is required") Boolean logVoided,
            @NotNull(message = "is required") Boolean presence) {
    }

    /** From when to when pushes wait (invites, milestones) or are dropped (presence). */
    public record QuietHours(
            @NotNull(message = "is required") @Pattern(regexp = TIME, message = TIME_RULE) String from,
            @NotNull(message = "is required") @Pattern(regexp = TIME, message = TIME_RULE) String to,
            @NotNull(message = "is required") String timezone) {
    }

    private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]";
    private static final String TIME_RULE = "must be a time of day HH:MM such as 22:00";
}
