package app.lockin.profiles;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;

import app.lockin.database.Cursors;
import app.lockin.database.OutputFailed;
import app.lockin.database.Reads;
import app.lockin.rules.NotFound;

/**
 * Everything LockIN holds about a person, as one JSON document (DOMAIN.md "A
 * person's data"; {@code GET /api/me/export}), written as it is read: each
 * section is one statement read as a cursor ({@link Cursors}), each row
 * written out before the next is read, so memory holds a batch of rows
 * whatever the person's history. It is one read-only transaction at
 * repeatable read: the document is what the database held at one moment
 * (a replica's moment when one may serve the caller's reads, {@link Reads#snapshot}).
 * <p>
 * The fields are the statements' column labels (snake_case, as the API names
 * them; {@link JsonColumns}). Every row of every table that names the person
 * (each column of the schema holding a profile's id) is in a
 * section:
 * <ul>
 * <li>{@code profiles} → {@code profile}; {@code fair_use_buckets} (their key
 *     ends with the caller's id) → {@code profile.rate_limits}</li>
 * <li>{@code auth_identities} → {@code identities}</li>
 * <li>{@code group_members} (and {@code groups.owner_id}, which is always the
 *     owner member's), {@code target_history}, {@code member_period_totals},
 *     {@code goal_checks}, {@code former_members} and the person's entry in
 *     {@code period_boards} → {@code memberships}: one per group the person
 *     is or was in (a member who leaves keeps their past there: {@code role}
 *     is then null, and {@code past_memberships} says when they were in it)</li>
 * <li>{@code sessions.creator_id}, {@code session_participants} → {@code sessions}</li>
 * <li>{@code time_logs} → {@code time_logs} (an open segment too, without an end)</li>
 * <li>{@code notifications.recipient_id} → {@code notifications} ({@code
 *     received: true}); {@code notifications.subject_id} and {@code actor_id}
 *     of anything but an invite, in other people's inboxes → {@code
 *     notifications} ({@code received: false}, without that person's status
 *     and read time)</li>
 * <li>{@code notifications.actor_id} of invites, {@code email_invites.actor_id}
 *     → {@code invites_sent}</li>
 * <li>{@code join_links.created_by} → {@code join_links}</li>
 * <li>{@code time_logs.voided_by} → {@code voids_made}: the logs the person
 *     voided as a group's owner or admin (which log, where, when and why;
 *     whose log it is stays out, as in {@code invites_sent}: that is the
 *     other person's). The same void is in the log's own person's
 *     {@code time_logs} too.</li>
 * <li>{@code idempotency_keys} → {@code requests}: the key and the request's
 *     SHA-256 (method, path, body: all that is kept of a request), never the
 *     answer kept for it</li>
 * <li>{@code devices} → {@code devices}: platform, app version, locale,
 *     dates; not the provider's token (a credential of the push provider's
 *     for the app, not something the person gave or can use)</li>
 * <li>{@code notification_settings} → {@code notification_settings}: the
 *     person's settings as in force (the defaults when they never changed
 *     them), flat: {@code push_<kind>}, {@code quiet_hours_from/to/timezone}</li>
 * <li>{@code outbox.subject_id} → {@code deliveries}: the pushes sent to the
 *     person's phones and the webhook events about them, kept a week after
 *     they ended (what, when, to which channel, what became of it; the text
 *     is in {@code notifications}, the receiver's address is not exported)</li>
 * <li>{@code presence_pushes} → {@code presence_pushes}: when the person was
 *     last told someone of a group started focusing</li>
 * <li>{@code webhooks.created_by} → {@code webhooks_created}: the group
 *     webhooks the person registered, without their URL and secret (the
 *     group's channel credentials)</li>
 * </ul>
 * What would tell another person's secret is left out: whom an invite went to
 * and what became of it (an invite by email must look the same whether or not
 * the address has an account), and a join link's code (someone removed from a
 * group or no longer its admin must not get a way back in).
 * <p>
 * Erasure ({@code DELETE /api/me}, database function {@code erase_person})
 * works on the same rows: it deletes what is the person's alone and gives
 * what other people's history is made of to an anonymous profile; ErasureIT
 * checks that afterwards no row of any table holds their id, email or name.
 */
@Stateless
public class PersonalData {

    private static final String PROFILE = """
            select id, email::text as email, display_name, avatar_url, created_at, updated_at
              from profiles
             where id = ?
            """;

    /**
     * Bucket4j's rows of the fair-use limits: the key is "limit/quota/window
     * seconds/caller id" (read by the index on its last part, V7).
     */
    private static final String RATE_LIMITS = """
            select id as key, to_timestamp(expires_at / 1000.0) as full_again_at
              from fair_use_buckets
             where split_part(id, '/', 4) = ?
             order by id
            """;

    private static final String IDENTITIES = """
            select provider, subject, created_at
              from auth_identities
             where profile_id = ?
             order by created_at, id
            """;

    /** Every group the person is in, or was in and has a past in (totals, targets, sealed boards). */
    private static final String MEMBERSHIPS = """
            with theirs (group_id) as (
                      select group_id from group_members where user_id = ?
                union select group_id from target_history where user_id = ?
                union select group_id from member_period_totals where user_id = ?
                union select group_id from goal_checks where user_id = ?
                union select group_id from former_members where user_id = ?
                union select group_id from period_boards where user_ids @> array[cast(? as uuid)])
            select g.id as group_id, g.name as group_name, group_status_now(g.status, g.start_at) as group_status,
                   m.role::text as role, m.created_at as joined_at, m.hidden_from_leaderboard,
                   m.override_period_target_minutes, c.due_at as goal_check_due_at
              from theirs
              join groups g on g.id = theirs.group_id
              left join group_members m on m.group_id = g.id and m.user_id = ?
              left join goal_checks c on c.group_id = g.id and c.user_id = ?
             order by m.created_at, g.created_at, g.id
            """;

    /** A member's own targets in a group, since when ('-infinity': since always, written null). */
    private static final String TARGET_OVERRIDES = """
            select nullif(since, '-infinity') as since, target_minutes
              from target_history
             where group_id = ? and user_id = ?
             order by since, id
            """;

    /** Memberships of the group that ended (left, removed): on its past boards as a former member. */
    private static final String PAST_MEMBERSHIPS = """
            select role::text as role, joined_at, left_at, hidden_from_leaderboard
              from former_members
             where group_id = ? and user_id = ?
             order by joined_at, id
            """;

    private static final String PERIOD_TOTALS = """
            select period_start, period_end, seconds, seconds_declared, met as goal_met, run as streak, best as best_streak
              from member_period_totals
             where group_id = ? and user_id = ?
             order by period_start
            """;

    /** The person's entry on each sealed board of a final period of the group. */
    private static final String SEALED_BOARDS = """
            select period_start, period_end, target_minutes, seconds_done[i] as seconds_done,
                   seconds_declared[i] as seconds_declared, goals_met[i] as goal_met
              from (select b.*, array_position(b.user_ids, cast(? as uuid)) as i
                      from period_boards b
                     where b.group_id = ?) board
             where i is not null
             order by period_start
            """;

    /** Sessions the person takes or took part in (a host is a participant), and any they created without being one. */
    private static final String SESSIONS = """
            select s.id, s.group_id, g.name as group_name, s.creator_id, p.role::text as role, s.status::text as status,
                   s.started_at, s.ended_at, s.created_at, p.joined_at, p.left_at
              from session_participants p
              join sessions s on s.id = p.session_id
              left join groups g on g.id = s.group_id
             where p.user_id = ?
            union all
            select s.id, s.group_id, g.name, s.creator_id, null, s.status::text,
                   s.started_at, s.ended_at, s.created_at, null, null
              from sessions s
              left join groups g on g.id = s.group_id
             where s.creator_id = ?
               and not exists (select 1 from session_participants p where p.session_id = s.id and p.user_id = ?)
             order by created_at, id
            """;

    /**
     * Oldest first, in the order of their ends, which is the order of their
     * starts too (a person's logs never overlap), which the index on
     * {@code (user_id, ended_at)} can give without a sort (for a person with
     * most of the table, PostgreSQL may sort instead: its memory, not this
     * instance's); the open segment (no end) last.
     */
    private static final String TIME_LOGS = """
            select l.id, p.session_id, l.group_id, l.started_at, l.ended_at,
                   floor(extract(epoch from l.ended_at - l.started_at))::bigint as duration_seconds,
                   l.source::text as source, l.created_at, l.voided_at, l.voided_by, l.void_reason
              from time_logs l
              join session_participants p on p.id = l.participant_id
             where l.user_id = ?
             order by l.ended_at
            """;

    private static final String NOTIFICATIONS = """
            select n.id, true as received, n.kind::text as kind, n.status::text as status, n.title, n.body,
                   n.group_id, n.actor_id, n.subject_id, n.period_start, n.created_at, n.read_at
              from notifications n
             where n.recipient_id = ?
            union all
            select n.id, false, n.kind::text, null, n.title, n.body,
                   n.group_id, n.actor_id, n.subject_id, n.period_start, n.created_at, null
              from notifications n
             where (n.subject_id = ? or (n.actor_id = ? and n.kind <> 'group_invite'))
               and n.recipient_id <> ?
             order by created_at, id
            """;

    /** Invites to an account (notifications) and to an address without one yet (email_invites), alike. */
    private static final String INVITES_SENT = """
            select n.id, n.group_id, g.name as group_name, n.title, n.body, n.created_at
              from notifications n
              left join groups g on g.id = n.group_id
             where n.actor_id = ? and n.kind = 'group_invite'
            union all
            select e.id, e.group_id, g.name, e.title, e.body, e.created_at
              from email_invites e
              join groups g on g.id = e.group_id
             where e.actor_id = ?
             order by created_at, id
            """;

    private static final String JOIN_LINKS = """
            select l.id, l.group_id, g.name as group_name, l.expires_at, l.max_uses, l.uses, l.revoked_at, l.created_at
              from join_links l
              join groups g on g.id = l.group_id
             where l.created_by = ?
             order by l.created_at, l.id
            """;

    /** The logs the person voided (as a group's owner or admin): what they did, not whose log it was. */
    private static final String VOIDS_MADE = """
            select l.id, p.session_id, l.group_id, g.name as group_name, l.voided_at, l.void_reason
              from time_logs l
              join session_participants p on p.id = l.participant_id
              left join groups g on g.id = l.group_id
             where l.voided_by = ?
             order by l.voided_at, l.id
            """;

    private static final String REQUESTS = """
            select key, encode(request_hash, 'hex') as request_sha256, created_at, completed_at
              from idempotency_keys
             where caller_id = ?
             order by created_at, key
            """;

    /** The person's phones registered for push, without their tokens. */
    private static final String DEVICES = """
            select id, platform, app_version, locale, created_at, last_seen_at
              from devices
             where user_id = ?
             order by created_at, id
            """;

    /** What went out to the person's phones, or about them to a group's webhooks (outbox_subject_idx). */
    private static final String DELIVERIES = """
            select o.id, o.channel, o.event, w.group_id, o.status, o.attempts, o.created_at, o.last_attempt_at, o.ended_at
              from outbox o
              left join webhooks w on w.id = o.webhook_id
             where o.subject_id = ?
             order by o.created_at, o.id
            """;

    private static final String PRESENCE_PUSHES = """
            select group_id, pushed_at
              from presence_pushes
             where user_id = ?
             order by pushed_at, group_id
            """;

    /** The webhooks the person registered, without their URL and secret (webhooks_created_by_idx). */
    private static final String WEBHOOKS_CREATED = """
            select id, group_id, events, format, enabled, created_at, disabled_at
              from webhooks
             where created_by = ?
             order by created_at, id
            """;

    /** What the person wants pushed (notification_settings_of: their row, or the defaults). */
    private static final String NOTIFICATION_SETTINGS = """
            select * from notification_settings_of(?)
            """;

    @Inject
    Reads reads;

    /** What is written after a row's columns, inside its object: its nested arrays. */
    @FunctionalInterface
    private interface Nested {
        void write(ResultSet row) throws SQLException;
    }

    /**
     * Writes the person's document into the generator (which the caller
     * closes), section by section, as the rows are read.
     *
     * @throws NotFound when the person has no profile (nothing written then)
     * @throws OutputFailed when the generator could not write out (the client went away); the read stops there
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)   // Reads.snapshot: a replica's transaction, or the primary's own
    public void export(UUID person, JsonGenerator json) {
        reads.snapshot(db -> {
            try {
                write(db, person, json);
            } catch (JsonException e) {
                if (e.getCause() instanceof IOException output) {
                    throw new OutputFailed(output);
                }
                throw e;
            }
        });
    }

    private static void write(Connection db, UUID person, JsonGenerator json) throws SQLException {
        json.writeStartObject();
        json.writeKey("profile");
        if (objects(db, json, PROFILE, new Object[] {person},
                row -> array(db, json, "rate_limits", RATE_LIMITS, person.toString())) != 1) {
            throw new NotFound("profile not found");
        }
        array(db, json, "identities", IDENTITIES, person);
        json.writeStartArray("memberships");
        objects(db, json, MEMBERSHIPS, new Object[] {person, person, person, person, person, person, person, person}, row -> {
            Object group = row.getObject("group_id");
            array(db, json, "past_memberships", PAST_MEMBERSHIPS, group, person);
            array(db, json, "target_overrides", TARGET_OVERRIDES, group, person);
            array(db, json, "period_totals", PERIOD_TOTALS, group, person);
            array(db, json, "sealed_boards", SEALED_BOARDS, person, group);
        });
        json.writeEnd();
        array(db, json, "sessions", SESSIONS, person, person, person);
        array(db, json, "time_logs", TIME_LOGS, person);
        array(db, json, "notifications", NOTIFICATIONS, person, person, person, person);
        array(db, json, "invites_sent", INVITES_SENT, person, person);
        array(db, json, "join_links", JOIN_LINKS, person);
        array(db, json, "voids_made", VOIDS_MADE, person);
        array(db, json, "requests", REQUESTS, person);
        array(db, json, "devices", DEVICES, person);
        json.writeKey("notification_settings");
        objects(db, json, NOTIFICATION_SETTINGS, new Object[] {person}, null);
        array(db, json, "deliveries", DELIVERIES, person);
        array(db, json, "presence_pushes", PRESENCE_PUSHES, person);
        array(db, json, "webhooks_created", WEBHOOKS_CREATED, person);
        json.writeEnd();
        json.flush();
    }

    /** A field holding an array: an object per row of the statement. */
    private static void array(Connection db, JsonGenerator json, String name, String sql, Object... parameters)
            throws SQLException {
        json.writeStartArray(name);
        objects(db, json, sql, parameters, null);
        json.writeEnd();
    }

    /** An object per row of the statement, its columns then what {@code nested} adds; answers how many. */
    private static long objects(Connection db, JsonGenerator json, String sql, Object[] parameters, Nested nested)
            throws SQLException {
        long count = 0;
        try (PreparedStatement statement = Cursors.prepare(db, sql, parameters); ResultSet rows = statement.executeQuery()) {
            JsonColumns columns = JsonColumns.of(rows);
            while (rows.next()) {
                json.writeStartObject();
                columns.write(rows, json);
                if (nested != null) {
                    nested.write(rows);
                }
                json.writeEnd();
                count++;
            }
        }
        return count;
    }
}
