package app.lockin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.UUID;

import jakarta.json.JsonObject;

/** Set-up through the API itself: people with profiles, groups, members. */
public final class Fixtures {

    private Fixtures() {
    }

    /**
     * Makes {@code user} a member of the group since {@code since} when they
     * joined later (their membership's joined_at, column created_at, written past the API: a
     * set-up of the past, since nothing is logged before its person joined).
     */
    public static void memberSince(String groupId, User user, Instant since) {
        try {
            TestEnvironment.sql().update("""
                    update group_members m set created_at = ?
                      from auth_identities i
                     where i.subject = ? and m.user_id = i.profile_id and m.group_id = ?::uuid and m.created_at > ?""",
                    Timestamp.from(since), user.subject(), groupId, Timestamp.from(since));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new person with a profile; returns their profile id. */
    public static String profileOf(User user) {
        Reply me = user.api().get("/api/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        return me.json().getString("id");
    }

    /** A time zone whose day began at least two hours ago and ends in more than one: recent times fall in today's period. */
    public static ZoneId zoneAwayFromMidnight() {
        return java.util.stream.Stream.of("UTC", "Asia/Tokyo", "America/New_York").map(ZoneId::of)
                .filter(z -> LocalTime.now(z).getHour() >= 2 && LocalTime.now(z).getHour() <= 22)
                .findFirst().orElseThrow();
    }

    public static String groupBody(String name) {
        return "{\"name\": \"" + name + "\", \"end_at\": \"" + Instant.now().plus(Duration.ofDays(14))
                + "\", \"timezone\": \"Europe/Paris\", \"period\": \"daily\", \"period_target_minutes\": 60}";
    }

    /** A new active group owned by {@code owner}. */
    public static JsonObject group(User owner) {
        Reply created = owner.api().post("/api/groups", groupBody("Group " + UUID.randomUUID().toString().substring(0, 6)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    /** A new group of new people: its owner, an admin and a plain member (both added by the owner). */
    public record Crew(User owner, User admin, User member, String groupId) {
    }

    public static Crew crew() {
        User owner = User.random();
        return crewOf(owner, group(owner).getString("id"));
    }

    /**
     * A crew of a daily group (60 minutes) that started a day ago, in a zone
     * whose day began hours ago: time logged minutes ago is today's.
     */
    public static Crew crewSinceYesterday() {
        User owner = User.random();
        Reply created = owner.api().post("/api/groups", "{\"name\": \"Since yesterday\", \"start_at\": \""
                + Instant.now().minus(Duration.ofDays(1)) + "\", \"end_at\": \"" + Instant.now().plus(Duration.ofDays(14))
                + "\", \"timezone\": \"" + zoneAwayFromMidnight() + "\", \"period\": \"daily\", \"period_target_minutes\": 60}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return crewOf(owner, created.json().getString("id"));
    }

    private static Crew crewOf(User owner, String groupId) {
        User admin = User.random();
        User member = User.random();
        member(owner, groupId, admin, "admin");
        member(owner, groupId, member, "member");
        return new Crew(owner, admin, member, groupId);
    }

    /** Adds the person to the group (the owner adds them) with the role; returns the member. */
    public static JsonObject member(User owner, String groupId, User person, String role) {
        Reply added = owner.api().post("/api/groups/" + groupId + "/members",
                "{\"user_id\": \"" + profileOf(person) + "\", \"role\": \"" + role + "\"}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return added.json();
    }

    /** Archives the group through the owner's :archive. */
    public static void archive(User owner, String groupId) {
        Reply archived = owner.api().post("/api/groups/" + groupId + ":archive", null);
        assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
    }

    /** A phone of the person's for push (platform apns or fcm; locale may be null); returns the device's id. */
    public static String device(User user, String platform, String token, String locale) {
        Reply reply = user.api().post("/api/me/devices", "{\"platform\": \"" + platform + "\", \"token\": \"" + token + "\""
                + (locale == null ? "" : ", \"locale\": \"" + locale + "\"") + "}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().getString("id");
    }

    /** The inviter invites a person with an account to the group. */
    public static void invite(User inviter, String groupId, User recipient) {
        Reply reply = inviter.api().post("/api/groups/" + groupId + ":invite",
                "{\"recipient_id\": \"" + profileOf(recipient) + "\"}");
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
    }
}
