-- History is true, and a person can be erased (DOMAIN.md "Fair play":
-- access follows membership; "A person's data": erasure).
--
-- former_members: every membership that ended (removed, left, or ended by an
-- erasure), written when the group_members row goes (R__17_erasure.sql), so
-- a past period's board keeps who was a member then (R__08_boards.sql,
-- R__09_history.sql) while the current board lists current members only.

create table former_members (
    id                      bigint generated always as identity primary key,
    group_id                uuid not null references groups (id) on delete cascade,
    user_id                 uuid not null references profiles (id) on delete cascade,
    role                    member_role not null,
    hidden_from_leaderboard boolean not null,
    joined_at               timestamptz not null,
    left_at                 timestamptz not null default now(),
    constraint former_members_left_after_joining check (left_at >= joined_at)
);

-- a past board's former members: the group's memberships that ended after the period began
create index former_members_group_idx on former_members (group_id, left_at) include (user_id, joined_at, hidden_from_leaderboard);
create index former_members_user_idx on former_members (user_id);

comment on table former_members is
    'Memberships that ended (removed, left, erased): who was a member of a group when, so past boards keep them.';

-- Memberships that ended before this table existed left only their time
-- behind: each member with totals in a group they are no longer in becomes a
-- former member since their first period with time, hidden from the
-- leaderboard (their choice is not known: absent to plain members, as they
-- were until now).
insert into former_members (group_id, user_id, role, hidden_from_leaderboard, joined_at, left_at)
select t.group_id, t.user_id, 'member', true, min(t.period_start), greatest(now(), min(t.period_start))
  from member_period_totals t
 where not exists (select 1 from group_members m where m.group_id = t.group_id and m.user_id = t.user_id)
 group by t.group_id, t.user_id;

-- Sealed boards were computed without former members: sealed anew when read.
delete from period_boards;

-- Erasure: a person's kept history (their time in groups, the sessions they
-- hosted there, their targets, their past on boards) is given to an
-- anonymous profile made for it, erased_at set, without email, name or
-- avatar, and the person's own profile is deleted. Only such a profile has
-- no name.
alter table profiles
    add column erased_at timestamptz,
    alter column display_name drop not null,
    add constraint profiles_named_unless_erased check ((display_name is null) = (erased_at is not null)),
    add constraint profiles_erased_is_anonymous check (erased_at is null or (email is null and avatar_url is null));

comment on column profiles.erased_at is
    'Set on the anonymous profile an erasure gives a person''s kept history to (no email, name or avatar).';
comment on constraint profiles_named_unless_erased on profiles is 'display_name: must have 1 to 50 characters after trimming';

-- An erasure gives a person's logs and participations to the anonymous
-- profile in two statements (logs first, so the totals move in one pass):
-- the pair (participant_id, user_id) is checked at the end of the erasure.
alter table time_logs
    drop constraint time_logs_participant_fkey,
    add constraint time_logs_participant_fkey foreign key (participant_id, user_id)
        references session_participants (id, user_id) on delete cascade deferrable initially immediate;
