package app.lockin.notifications;

import java.util.UUID;
import java.util.function.UnaryOperator;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Row;
import app.lockin.database.Rows;

/**
 * A person's notification settings, read through the database's
 * notification_settings_of (the one statement of the defaults) and written
 * as a whole row once changed.
 */
@Stateless
public class NotificationSettingsStore {

    private static final String WRITE = """
            insert into notification_settings as s (user_id, push_group_invite, push_milestone_member, push_milestone_group,
                   push_session_autopaused, push_log_voided, push_presence, quiet_hours_from, quiet_hours_to,
                   quiet_hours_timezone)
            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(cast(?8 as text) as time), cast(cast(?9 as text) as time),
                    cast(?10 as text))
            on conflict (user_id) do update
               set push_group_invite = excluded.push_group_invite,
                   push_milestone_member = excluded.push_milestone_member,
                   push_milestone_group = excluded.push_milestone_group,
                   push_session_autopaused = excluded.push_session_autopaused,
                   push_log_voided = excluded.push_log_voided,
                   push_presence = excluded.push_presence,
                   quiet_hours_from = excluded.quiet_hours_from,
                   quiet_hours_to = excluded.quiet_hours_to,
                   quiet_hours_timezone = excluded.quiet_hours_timezone
            """;

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** The caller's settings (the defaults until they change them). */
    public NotificationSettings of(UUID caller) {
        Row row = Rows.single(em.createNativeQuery("select * from notification_settings_of(?1)").setParameter(1, caller));
        NotificationSettings.QuietHours quiet = row.get("quiet_hours_from") == null ? null
                : new NotificationSettings.QuietHours(row.string("quiet_hours_from"), row.string("quiet_hours_to"),
                        row.string("quiet_hours_timezone"));
        return new NotificationSettings(new NotificationSettings.Push(row.bool("push_group_invite"),
                row.bool("push_milestone_member"), row.bool("push_milestone_group"), row.bool("push_session_autopaused"),
                row.bool("push_log_voided"), row.bool("push_presence")), quiet);
    }

    /**
     * Changes the caller's settings: {@code change} gets the current ones and
     * gives the new (a JSON Merge Patch applied to them); the caller's profile
     * row is locked meanwhile, so two patches at once both apply. 422 for
     * values the database's checks refuse (a time zone it does not know).
     */
    public NotificationSettings update(UUID caller, UnaryOperator<NotificationSettings> change) {
        em.createNativeQuery("select id from profiles where id = ?1 for no key update")
                .setParameter(1, caller)
                .getResultList();
        NotificationSettings settings = change.apply(of(caller));
        NotificationSettings.Push push = settings.push();
        NotificationSettings.QuietHours quiet = settings.quietHours();
        em.createNativeQuery(WRITE)
                .setParameter(1, caller)
                .setParameter(2, push.groupInvite())
                .setParameter(3, push.milestoneMember())
                .setParameter(4, push.milestoneGroup())
                .setParameter(5, push.sessionAutopaused())
                .setParameter(6, push.logVoided())
                .setParameter(7, push.presence())
                .setParameter(8, quiet == null ? null : quiet.from())
                .setParameter(9, quiet == null ? null : quiet.to())
                .setParameter(10, quiet == null ? null : quiet.timezone())
                .executeUpdate();
        return of(caller);
    }
}
