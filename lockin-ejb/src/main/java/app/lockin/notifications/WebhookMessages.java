package app.lockin.notifications;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import app.lockin.config.SharedJson;

/**
 * What a webhook receives, per format, from an outbox item's payload (the
 * Standard Webhooks body written with its cause: {@code {"type", "timestamp",
 * "data"}}, R__19_outbox.sql): {@code standard} the payload as it is;
 * {@code slack} {@code {"text": sentence}} (Slack's incoming webhooks, with
 * {@code &}, {@code <}, {@code >} escaped as Slack asks); {@code discord}
 * {@code {"content": sentence}} (at most 2,000 characters, Discord's limit)
 * with every mention turned off, so a display name such as {@code @everyone}
 * pings nobody. The sentences are all here, in English.
 */
public final class WebhookMessages {

    /** Discord's longest message. */
    public static final int DISCORD_MAX = 2000;
    /** Lines of a period's final board in a chat message. */
    static final int BOARD_LINES = 10;

    private WebhookMessages() {
    }

    /** The request body for the format; the payload as it is for {@code standard} (and any unknown format). */
    public static String body(String format, String payload) {
        return switch (format) {
            case "slack" -> write(SharedJson.PROVIDER.createObjectBuilder().add("text", slackEscaped(sentence(read(payload)))).build());
            case "discord" -> write(SharedJson.PROVIDER.createObjectBuilder()
                    .add("content", truncated(sentence(read(payload)), DISCORD_MAX))
                    .add("allowed_mentions", SharedJson.PROVIDER.createObjectBuilder().add("parse", SharedJson.PROVIDER.createArrayBuilder()))
                    .build());
            default -> payload;
        };
    }

    /** The readable sentence of an event: "Alice reached their goal in Finals Week 🎯". */
    public static String sentence(JsonObject payload) {
        String type = payload.getString("type", "event");
        JsonObject data = payload.get("data") instanceof JsonObject d ? d : JsonValue.EMPTY_JSON_OBJECT;
        String group = text(data, "group_name", "your group");
        String who = text(data, "display_name", "Someone");
        return switch (type) {
            case "milestone_member" -> who + " reached their goal"
                    + (data.get("target_minutes") instanceof JsonNumber minutes ? " of " + duration(minutes.longValue() * 60) : "")
                    + " in " + group + " 🎯";
            case "milestone_group" -> "Everyone in " + group + " reached their goal this period 🎉";
            case "member_joined" -> who + " joined " + group + " 👋";
            case "member_left" -> who + " left " + group + ".";
            case "session_started" -> who + " started focusing in " + group + " 📚";
            case "period_closed" -> periodClosed(group, data);
            case "ping" -> "Test event from LockIN: this webhook of " + group + " works ✅";
            default -> "LockIN event " + type + " in " + group + ".";
        };
    }

    private static String periodClosed(String group, JsonObject data) {
        StringBuilder text = new StringBuilder("The period is over in ").append(group).append(". Final board:");
        List<JsonObject> board = data.get("board") instanceof jakarta.json.JsonArray rows
                ? rows.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList() : List.of();
        if (board.isEmpty()) {
            return text.append(" nobody focused.").toString();
        }
        for (JsonObject row : board.subList(0, Math.min(BOARD_LINES, board.size()))) {
            text.append('\n')
                    .append(row.get("rank") instanceof JsonNumber rank ? rank.intValue() + ". " : "- ")
                    .append(text(row, "display_name", "A former member"))
                    .append(" — ")
                    .append(duration(row.get("total_seconds") instanceof JsonNumber seconds ? seconds.longValue() : 0))
                    .append(row.getBoolean("goal_met", false) ? " ✅" : "");
        }
        if (board.size() > BOARD_LINES) {
            text.append("\n…and ").append(board.size() - BOARD_LINES).append(" more");
        }
        return text.toString();
    }

    /** 2h 05m, 45m, 0m. */
    static String duration(long seconds) {
        long minutes = Math.max(0, seconds) / 60;
        return minutes >= 60 ? minutes / 60 + "h " + String.format("%02dm", minutes % 60) : minutes + "m";
    }

    private static String text(JsonObject object, String name, String fallback) {
        return object.get(name) instanceof jakarta.json.JsonString value && !value.getString().isBlank()
                ? value.getString() : fallback;
    }

    /** Slack's control characters as it asks them escaped (its "Formatting text" page). */
    static String slackEscaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncated(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
    }

    private static JsonObject read(String payload) {
        try (JsonReader reader = SharedJson.PROVIDER.createReader(new StringReader(payload))) {
            return reader.readObject();
        }
    }

    private static String write(JsonObject object) {
        StringWriter out = new StringWriter();
        SharedJson.PROVIDER.createWriter(out).write(object);
        return out.toString();
    }
}
