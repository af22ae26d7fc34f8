package app.lockin.rest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.json.bind.config.PropertyNamingStrategy;

/**
 * The API's names: a Java name in snake_case ({@code periodTargetMinutes} is
 * {@code period_target_minutes}). JSON-B writes and reads with it, and
 * problems name fields with it, so a name is spelled in one place: the record.
 */
public final class SnakeCase implements PropertyNamingStrategy {

    public static final SnakeCase INSTANCE = new SnakeCase();

    private SnakeCase() {
    }

    @Override
    public String translateName(String propertyName) {
        return of(propertyName);
    }

    private static final Pattern WORD_BOUNDARY = Pattern.compile("([a-z0-9])([A-Z])");

    public static String of(String javaName) {
        return WORD_BOUNDARY.matcher(javaName).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} spelled so on the wire, if any. */
    public static <E extends Enum<E>> Optional<E> constant(Class<E> type, String wire) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> of(c).equals(wire)).findFirst();
    }

    /** Every constant of the enum as spelled on the wire, in declaration order. */
    public static <E extends Enum<E>> java.util.List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(SnakeCase::of).toList();
    }

    /** An enum constant on the wire: {@code OWNER} is {@code "owner"}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
