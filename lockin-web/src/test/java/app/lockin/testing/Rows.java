package app.lockin.testing;

import static app.lockin.testing.Sql.ts;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Set-up written straight into a database, past the API: profiles, groups, members, sessions, time logs. */
public final class Rows {

    private final Sql sql;

    public Rows(Sql sql) {
        this.sql = sql;
    }

    public UUID newProfile() throws SQLException {
        return (UUID) sql.value("select provision_profile('cognito', ?, null, 'Schema test')", UUID.randomUUID().toString());
    }

    /** A group with its owner member, committed together. */
    public UUID createGroup(UUID owner, String name, Instant start, Instant end) throws SQLException {
        return createGroup(owner, name, start, end, "UTC", "daily", 60);
    }

    public UUID createGroup(UUID owner, String name, Instant start, Instant end, String timezone, String period, int target)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = sql.connect()) {
            c.setAutoCommit(false);
            Sql.prepare(c, "insert into groups (id, owner_id, name, start_at, end_at, timezone, period, period_target_minutes) "
                    + "values (?, ?, ?, ?, ?, ?, ?::group_period, ?)", id, owner, name, ts(start), ts(end), timezone, period, target)
                    .executeUpdate();
            // a member since the group began (nothing is logged before its person joined)
            Sql.prepare(c, "insert into group_members (group_id, user_id, role, created_at) values (?, ?, 'owner', least(?, now()))",
                    id, owner, ts(start)).executeUpdate();
            c.commit();
        }
        return id;
    }

    /** A plain member since the group began. */
    public void addMember(UUID group, UUID user) throws SQLException {
        sql.update("insert into group_members (group_id, user_id, role, created_at) "
                + "select id, ?, 'member', least(start_at, now()) from groups where id = ?", user, group);
    }

    /** A paused session of the group hosted by the user, started at {@code start}; returns the participant id. */
    public UUID hostSession(UUID group, UUID user, Instant start) throws SQLException {
        UUID session = UUID.randomUUID();
        UUID participant = UUID.randomUUID();
        sql.update("insert into sessions (id, group_id, creator_id, status, started_at, segment_started_at) "
                + "values (?, ?, ?, 'paused', ?, null)", session, group, user, ts(start));
        sql.update("insert into session_participants (id, session_id, user_id, role, joined_at) values (?, ?, ?, 'host', ?)",
                participant, session, user, ts(start));
        return participant;
    }

    /** A manual time log of the participant. */
    public void log(UUID participant, Instant from, Instant to) throws SQLException {
        sql.update("insert into time_logs (participant_id, started_at, ended_at, source) values (?, ?, ?, 'manual')",
                participant, ts(from), ts(to));
    }
}
