package app.lockin.notifications;

import java.io.StringReader;
import java.util.Optional;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import app.lockin.config.SharedJson;

/**
 * A push item's payload as the database writes it into the outbox
 * (R__19_outbox.sql): {@code {"notification_id", "kind", "group_id", "title",
 * "body", "params": {"group_name", "actor_name", "subject_name",
 * "target_minutes"}}}, every field but {@code kind} possibly null. The title
 * and body are the notification's English text; the params let
 * {@link PushTexts} say the same in the device's language.
 */
public record PushPayload(Optional<String> notificationId, String kind, Optional<String> groupId,
                          Optional<String> title, Optional<String> body, Params params) {

    /** What a push's text may name. */
    public record Params(Optional<String> groupName, Optional<String> actorName, Optional<String> subjectName,
                         Optional<Integer> targetMinutes) {

        static final Params NONE = new Params(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads an outbox payload; a payload that is not a JSON object with a kind is refused (IllegalArgumentException). */
    public static PushPayload parse(String json) {
        JsonObject object;
        try (JsonReader reader = SharedJson.PROVIDER.createReader(new StringReader(json == null ? "" : json))) {
            object = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("the push payload is not a JSON object", e);
        }
        String kind = text(object, "kind").orElseThrow(() -> new IllegalArgumentException("the push payload has no kind"));
        JsonValue params = object.get("params");
        Params named = params instanceof JsonObject p
                ? new Params(text(p, "group_name"), text(p, "actor_name"), text(p, "subject_name"), whole(p, "target_minutes"))
                : Params.NONE;
        return new PushPayload(text(object, "notification_id"), kind, text(object, "group_id"),
                text(object, "title"), text(object, "body"), named);
    }

    private static Optional<String> text(JsonObject object, String name) {
        return object.get(name) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    private static Optional<Integer> whole(JsonObject object, String name) {
        return object.get(name) instanceof JsonNumber n && n.isIntegral() ? Optional.of(n.intValue()) : Optional.empty();
    }
}
