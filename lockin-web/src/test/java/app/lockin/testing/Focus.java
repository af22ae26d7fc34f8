package app.lockin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import jakarta.json.JsonObject;

/**
 * Focus sessions through the API, for set-ups. The suite runs the runaway
 * guard with LOCKIN_MAX_SEGMENT=3s every 2 s, so a segment stays open only
 * for seconds: history is written as manual logs into sessions that were
 * started and paused in the past ({@link #pausedSince}).
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
     * A session of the group started at {@code from} - 10 s and paused at once
     * (device times), ready for manual logs after {@code from}; its host a
     * member of the group since then at least. When the runaway
     * guard pauses it first, its log is [from - 10 s, from - 7 s] (of source
     * {@code device}: the device dated its start): either way nothing of it
     * reaches {@code from}.
     */
    public static String pausedSince(User host, String groupId, Instant from) {
        String id = session(host, groupId);
        Instant start = from.minusSeconds(10);
        if (groupId != null) {
            Fixtures.memberSince(groupId, host, start.minusSeconds(1));
        }
        ok(actAt(host, id, "start", start));
        Reply paused = actAt(host, id, "pause", start);
        if (paused.status() != 200) {
            assertThat(paused.status()).as(paused.toString()).isEqualTo(409);
            assertThat(get(host, id).getString("status")).as("paused by the runaway guard").isEqualTo("paused");
        }
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
