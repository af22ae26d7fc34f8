package app.lockin.notifications;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A push's title and body in the device's language: the texts of
 * {@code app/lockin/notifications/PushTexts*.properties} (English, Spanish,
 * French, German, Portuguese), one title and body a notification kind, with
 * the payload's params in their places ({@code {group}}, {@code {actor}},
 * {@code {subject}}, {@code {minutes}}).
 * <p>
 * A device whose language has no texts here, or of no known language, reads
 * English. English is the notification's own text, as the database wrote it
 * (it says more than a template can: the time a session was paused, why a log
 * was voided); the English templates serve when the payload has none. When a
 * translation names a param the payload lacks, or the kind has no texts, the
 * push falls back to the payload's English title and body, whole: never half
 * one language and half another.
 */
public final class PushTexts {

    static final String BUNDLE = "app.lockin.notifications.PushTexts";
    private static final Pattern PLACE = Pattern.compile("\\{(group|actor|subject|minutes)}");
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    /** A push's text: the title and, when there is one, the body. */
    public record Text(String title, Optional<String> body) {
    }

    private PushTexts() {
    }

    /** The push's text for a device of {@code locale} (BCP 47), English when unknown or not translated. */
    public static Text of(PushPayload payload, Optional<String> locale) {
        Locale wanted = locale.flatMap(PushTexts::parseTag).orElse(Locale.ROOT);
        ResourceBundle texts = ResourceBundle.getBundle(BUNDLE, wanted, PushTexts.class.getClassLoader(), NO_FALLBACK);
        boolean english = texts.getLocale().getLanguage().isEmpty() || texts.getLocale().getLanguage().equals("en");
        if (english && payload.title().isPresent()) {
            return new Text(payload.title().get(), payload.body());
        }
        Optional<String> title = fill(texts, payload.kind() + ".title", payload.params());
        Optional<String> body = fill(texts, payload.kind() + ".body", payload.params());
        if (title.isPresent() && body.isPresent()) {
            return new Text(title.get(), body.filter(b -> !b.isEmpty()));
        }
        return new Text(payload.title().orElse("LockIN"), payload.body());
    }

    /** The template with its params in place; empty when the kind has no such text or a param it names is missing. */
    private static Optional<String> fill(ResourceBundle texts, String key, PushPayload.Params params) {
        String template;
        try {
            template = texts.getString(key);
        } catch (MissingResourceException e) {
            return Optional.empty();
        }
        Function<String, Optional<String>> value = name -> switch (name) {
            case "group" -> params.groupName();
            case "actor" -> params.actorName();
            case "subject" -> params.subjectName();
            case "minutes" -> params.targetMinutes().map(String::valueOf);
            default -> Optional.empty();
        };
        Matcher places = PLACE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (places.find()) {
            Optional<String> v = value.apply(places.group(1));
            if (v.isEmpty()) {
                return Optional.empty();
            }
            places.appendReplacement(out, Matcher.quoteReplacement(v.get()));
        }
        places.appendTail(out);
        return Optional.of(out.toString());
    }

    private static Optional<Locale> parseTag(String tag) {
        try {
            return Optional.of(new Locale.Builder().setLanguageTag(tag.strip()).build());
        } catch (IllformedLocaleException e) {
            return Optional.empty();
        }
    }
}
