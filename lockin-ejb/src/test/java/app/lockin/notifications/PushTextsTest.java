package app.lockin.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The push texts: every kind in every language, the same params, English whole when a translation cannot be filled. */
class PushTextsTest {

    private static final List<String> KINDS = List.of("group_invite", "milestone_member", "milestone_group",
            "session_autopaused", "log_voided", "webhook_disabled", "presence");
    private static final List<String> LANGUAGES = List.of("es", "fr", "de", "pt");

    private static PushPayload payload(String kind, PushPayload.Params params) {
        return new PushPayload(Optional.of("8a4b1f2e-0000-4000-8000-000000000001"), kind, Optional.empty(),
                Optional.of("English title"), Optional.of("English body"), params);
    }

    private static final PushPayload.Params ALL = new PushPayload.Params(Optional.of("Finals Week"), Optional.of("Sam"),
            Optional.of("Alice"), Optional.of(90));

    private static Set<String> places(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** One language's file alone (a bundle would answer a missing key from the English one). */
    private static Properties file(String suffix) throws IOException {
        Properties texts = new Properties();
        try (InputStream in = PushTexts.class.getResourceAsStream("PushTexts" + suffix + ".properties")) {
            assertThat(in).as("PushTexts" + suffix + ".properties").isNotNull();
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return texts;
    }

    @Test
    void everyKindHasATitleAndBodyInEveryLanguageNamingTheSameParamsAsTheEnglish() throws IOException {
        Properties english = file("");
        for (String language : LANGUAGES) {
            Properties texts = file("_" + language);
            assertThat(texts.stringPropertyNames()).as(language).isEqualTo(english.stringPropertyNames());
            for (String kind : KINDS) {
                for (String part : List.of(".title", ".body")) {
                    String key = kind + part;
                    assertThat(texts.getProperty(key)).as(language + " " + key).isNotBlank();
                    assertThat(places(texts.getProperty(key))).as(language + " " + key)
                            .isEqualTo(places(english.getProperty(key)));
                }
            }
        }
    }

    @Test
    void aDeviceReadsItsLanguageWithTheParamsInPlace() {
        PushTexts.Text text = PushTexts.of(payload("milestone_member", ALL), Optional.of("pt-BR"));
        assertThat(text.title()).isEqualTo("Alice atingiu a meta");
        assertThat(text.body()).contains("Alice se concentrou 90 minutos em Finals Week neste período.");
    }

    @Test
    void englishUnknownAndUntranslatedLanguagesReadTheNotificationsOwnEnglish() {
        for (Optional<String> locale : List.of(Optional.<String>empty(), Optional.of("en-US"), Optional.of("ja"),
                Optional.of("not a tag!"))) {
            PushTexts.Text text = PushTexts.of(payload("group_invite", ALL), locale);
            assertThat(text.title()).as(locale.toString()).isEqualTo("English title");
            assertThat(text.body()).contains("English body");
        }
    }

    @Test
    void aTranslationLackingAParamFallsBackToTheEnglishWhole() {
        PushPayload.Params noActor = new PushPayload.Params(Optional.of("Finals Week"), Optional.empty(), Optional.empty(),
                Optional.empty());
        PushTexts.Text text = PushTexts.of(payload("group_invite", noActor), Optional.of("de"));
        assertThat(text.title()).isEqualTo("English title");
        assertThat(text.body()).contains("English body");

        PushTexts.Text unknownKind = PushTexts.of(payload("something_new", ALL), Optional.of("fr"));
        assertThat(unknownKind.title()).isEqualTo("English title");
    }

    @Test
    void withoutAnEnglishTextTheEnglishTemplatesServe() {
        PushPayload bare = new PushPayload(Optional.empty(), "milestone_group", Optional.empty(), Optional.empty(),
                Optional.empty(), ALL);
        PushTexts.Text text = PushTexts.of(bare, Optional.empty());
        assertThat(text.title()).isEqualTo("Everyone reached the goal");
        assertThat(text.body()).contains("Every member of Finals Week met this period's goal.");
    }
}
