package app.lockin.testing;

import java.time.Instant;

/**
 * Time logged before the test ran, written straight into the database (the
 * API dates nothing further back than the offline grace): memberships dated
 * back, and ended sessions of a group holding one log each.
 */
public final class PastTime {

    private static final Sql SQL = TestEnvironment.sql();

    private PastTime() {
    }

    /** Adds the person to the group (the owner adds them) and dates their joining back to {@code when}. */
    public static void join(User owner, String groupId, User person, Instant when) throws Exception {
        Fixtures.member(owner, groupId, person, "member");
        joinedAt(groupId, person, when);
    }

    /** Dates the person's joining of the group to {@code when}. */
    public static void joinedAt(String groupId, User person, Instant when) throws Exception {
        SQL.update("update group_members set created_at = ? where group_id = ?::uuid and user_id = ?::uuid",
                Sql.ts(when), groupId, Fixtures.profileOf(person));
    }

    /** An ended session of the group hosted by the person over [from, to); returns its participant id. */
    public static String session(String groupId, User host, Instant from, Instant to) throws Exception {
        String profile = Fixtures.profileOf(host);
        String session = SQL.value("insert into sessions (group_id, creator_id, status, started_at, ended_at, transitioned_at)"
                + " values (?::uuid, ?::uuid, 'ended', ?, ?, ?) returning id::text",
                groupId, profile, Sql.ts(from), Sql.ts(to), Sql.ts(to)).toString();
        return SQL.value("insert into session_participants (session_id, user_id, role, joined_at)"
                + " values (?::uuid, ?::uuid, 'host', ?) returning id::text", session, profile, Sql.ts(from)).toString();
    }

    /** Time logged in the past: one ended session holding one manual log [from, to). */
    public static void logged(String groupId, User person, Instant from, Instant to) throws Exception {
        String participant = session(groupId, person, from, to);
        SQL.update("insert into time_logs (participant_id, user_id, started_at, ended_at, source)"
                + " values (?::uuid, ?::uuid, ?, ?, 'manual')", participant, Fixtures.profileOf(person), Sql.ts(from), Sql.ts(to));
    }
}
