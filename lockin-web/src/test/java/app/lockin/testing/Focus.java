package app.lockin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;

import jakarta.json.JsonObject;

/**
 * Focus sessions through the API, for set-ups. The suite runs the runaway
 * guard with LOCKIN_MAX_SEGMENT=3s every 2 s, so a segment stays open only
 * for seconds: history is written as manual logs into sessions paused since
 * a past instant ({@link #pausedSince}).
 */
public final class Focus {

    private Focus() {
    }

    /** A new scheduled session hosted by the user, in the group (null: a session of their own). */
    public static String session(User host, String groupId) {
        Reply created = host.api().post("/api/sessions", groupId == null ? "{}" : "{\"group_id\": \"" + groupId + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getString("id");
    }

    /** {@code :start}, {@code :pause}, {@code :resume} or {@code :stop}, at the server's now. */
    public static Reply act(User user, String sessionId, String action) {
        return user.api().post("/api/sessions/" + sessionId + ":" + action, null);
    }

    /** The same with the device's time of the action. */
    public static Reply actAt(User user, String sessionId, String action, Instant at) {
        return user.api().post("/api/sessions/" + sessionId + ":" + action, "{\"at\": \"" + at + "\"}");
    }

    public static JsonObject ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    public static JsonObject get(User user, String sessionId) {
        return ok(user.api().get("/api/sessions/" + sessionId));
    }

    /**
     * A session of the group started at {@code from} - 10 s and paused at
     * that same instant, ready for manual logs after {@code from}; its host a
     * member of the group since then at least. No time is logged. It is set
     * up in the database, not with {@code :start} and {@code :pause} dated
     * back: the suite's runaway guard (a 3 s cap, every 2 s) would find a
     * segment dated 10 s back already past its cap, and when its tick fell
     * between the two requests it closed a 3 s log the test did not expect.
     */
    public static String pausedSince(User host, String groupId, Instant from) {
        String id = session(host, groupId);
        Instant start = from.minusSeconds(10);
        if (groupId != null) {
            Fixtures.memberSince(groupId, host, start.minusSeconds(1));
        }
        try {
            Sql sql = TestEnvironment.sql();
            sql.update("update session_participants set joined_at = ? where session_id = ?::uuid and role = 'host'",
                    Sql.ts(start), id);
            sql.update("update sessions set status = 'paused', started_at = ?, transitioned_at = ? where id = ?::uuid",
                    Sql.ts(start), Sql.ts(start), id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(get(host, id).getString("status")).isEqualTo("paused");
        return id;
    }

    /** A manual log [from, to) of the host's in the session; answers the log. */
    public static JsonObject log(User host, String sessionId, Instant from, Instant to) {
        Reply logged = postLog(host, sessionId, from, to);
        assertThat(logged.status()).as(logged.toString()).isEqualTo(201);
        return logged.json();
    }

    public static Reply postLog(User user, String sessionId, Instant from, Instant to) {
        return user.api().post("/api/sessions/" + sessionId + "/logs",
                "{\"started_at\": \"" + from + "\", \"ended_at\": \"" + to + "\"}");
    }
}
