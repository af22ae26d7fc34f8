package app.lockin.notifications;

import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /api/me/devices}: the push provider ({@code apns}
 * or {@code fcm}), its token for this phone, and optionally the app's version
 * and the phone's locale (BCP 47). The database holds the values to their
 * rules (devices checks, V8), whose comments are the 422's wording.
 */
public record NewDevice(@NotNull(message = "is required") String platform, @NotNull(message = "is required") String token,
        String appVersion, String locale) {
}
