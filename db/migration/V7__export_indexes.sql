-- A person's data read by the person (issue 26): the export (GET /api/me/export,
-- profiles/PersonalData) reads every row that names the caller, table by
-- table. V1 indexed the columns the API reads by person every day
-- (memberships, inbox, sessions, time logs, keys); these are the others the
-- export filters on, which without an index made every export scan the
-- whole table (and so does erasure, through their foreign keys: a person's
-- delete cascades or sets null there).
--
-- Each is partial where the column may be null (most rows name nobody
-- there), so it holds only the rows that name someone.

-- memberships: the groups of a person's past (targets, totals, goal checks, sealed boards)
create index target_history_user_idx on target_history (user_id, group_id) where user_id is not null;
create index member_period_totals_user_idx on member_period_totals (user_id, group_id);
create index goal_checks_user_idx on goal_checks (user_id);
create index period_boards_user_ids_idx on period_boards using gin (user_ids);

-- notifications in other people's inboxes that name them; invites and join links they made
create index notifications_subject_idx on notifications (subject_id) where subject_id is not null;
create index notifications_actor_idx on notifications (actor_id) where actor_id is not null;
create index email_invites_actor_idx on email_invites (actor_id) where actor_id is not null;
create index join_links_created_by_idx on join_links (created_by) where created_by is not null;

-- the logs a moderator voided (voids_made)
create index time_logs_voided_by_idx on time_logs (voided_by) where voided_by is not null;

-- the fair-use buckets of a caller: the key is "limit/quota/window seconds/caller id" (limits/Policy)
create index fair_use_buckets_caller_idx on fair_use_buckets (split_part(id, '/', 4));
