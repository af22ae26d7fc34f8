-- Reaching people outside the app (DOMAIN.md): what a person wants pushed.

-- A person's notification settings: their row, or the defaults when they
-- never changed them (every kind pushed but presence, which is opt-in; no
-- quiet hours). The one statement of the defaults: the API
-- (GET/PATCH /api/me/notification-settings), the export and push delivery
-- read the settings through it. Times as 'HH:MM'.
drop function if exists notification_settings_of(uuid);
create function notification_settings_of(p_user uuid)
    returns table (push_group_invite boolean, push_milestone_member boolean, push_milestone_group boolean,
                   push_session_autopaused boolean, push_log_voided boolean, push_presence boolean,
                   quiet_hours_from text, quiet_hours_to text, quiet_hours_timezone text)
    language sql stable
as $$
    select coalesce(s.push_group_invite, true), coalesce(s.push_milestone_member, true),
           coalesce(s.push_milestone_group, true), coalesce(s.push_session_autopaused, true),
           coalesce(s.push_log_voided, true), coalesce(s.push_presence, false),
           to_char(s.quiet_hours_from, 'HH24:MI'), to_char(s.quiet_hours_to, 'HH24:MI'), s.quiet_hours_timezone
      from (select p_user) me (user_id)
      left join notification_settings s on s.user_id = me.user_id
$$;
