package app.lockin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import jakarta.json.JsonObject;

/** A group's leaderboard as a member reads it: the current one, or a period's as it stood at its end. */
public final class Boards {

    private Boards() {
    }

    /** {@code GET /api/groups/{id}/progress?at=}: the board of the period containing {@code at}. */
    public static List<JsonObject> at(User user, String groupId, Instant at) {
        return read(user, "/api/groups/" + groupId + "/progress?at=" + at);
    }

    /** {@code GET /api/groups/{id}/progress/current}. */
    public static List<JsonObject> current(User user, String groupId) {
        return read(user, "/api/groups/" + groupId + "/progress/current");
    }

    private static List<JsonObject> read(User user, String path) {
        Reply reply = user.api().get(path);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.jsonArray().getValuesAs(JsonObject.class);
    }
}
