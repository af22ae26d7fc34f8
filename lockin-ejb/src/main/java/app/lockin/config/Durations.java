package app.lockin.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as operators write them in the environment: an ISO-8601
 * duration ({@code PT5M}), or a number with a unit ({@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 12h}, {@code 2d}), or plain seconds.
 */
public final class Durations {

    private Durations() {
    }

    /** The duration, at least {@code minimum}; the setting's name is in the message of any failure. */
    public static Duration parse(String setting, String value, Duration minimum) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        try {
            Duration duration;
            if (text.startsWith("p")) {
                duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            } else if (text.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("h")) {
                duration = Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("d")) {
                duration = Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                duration = Duration.ofSeconds(Long.parseLong(text));
            }
            if (duration.compareTo(minimum) < 0) {
                throw new IllegalArgumentException(setting + " must be at least " + minimum.toMillis() + " ms: " + value);
            }
            return duration;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(setting + " is not a duration (PT5M, 5m, 30s, 12h): " + value, e);
        }
    }
}
