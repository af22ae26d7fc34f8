-- Archival: a group ends, by its owner's :archive or when its end passes.
--
-- Archiving stops what still goes on in the group (state changes made here,
-- not by the application: running and paused sessions end, their open
-- segments' logs close at now, scheduled sessions are cancelled); nothing of
-- an archived group changes after (R__03_groups.sql, R__06_timeline.sql).

-- Ends what is still going on in the given groups before they are archived
-- (end_sessions, R__06_timeline.sql: the runaway cap holds there too).
create or replace function stop_sessions_of_groups(p_group_ids uuid[])
    returns void
    language sql
as $$
    select end_sessions(array(select id from sessions
                               where group_id = any (p_group_ids) and status in ('scheduled', 'running', 'paused')));
$$;

-- Archives one group now (its owner's :archive), stopping its sessions.
-- Returns false when it was archived already.
create or replace function archive_group(p_group_id uuid)
    returns boolean
    language plpgsql
as $$
begin
    perform 1 from groups where id = p_group_id and status <> 'archived' for update;
    if not found then
        return false;
    end if;
    perform stop_sessions_of_groups(array[p_group_id]);
    update groups set status = 'archived' where id = p_group_id;
    return true;
end;
$$;

-- Archives every group whose end has passed, each on its own (a savepoint
-- per group): one group that cannot be archived is reported in `failed`,
-- with a warning naming it, and never stops the others. Promotes pending
-- groups whose start has come. Idempotent; with several instances, one run
-- at a time does the work and the others return (0, {}) at once.
create or replace function archive_expired_groups(out archived integer, out failed uuid[])
    language plpgsql
as $$
declare
    v_group uuid;
begin
    archived := 0;
    failed := '{}';
    if not pg_try_advisory_xact_lock(hashtext('lockin.archive_expired_groups')) then
        return;
    end if;

    update groups set status = 'active'
     where status = 'pending' and start_at <= now() and end_at > now();

    for v_group in
        select id from groups where status <> 'archived' and end_at <= now() order by end_at
           for update skip locked
    loop
        begin
            perform stop_sessions_of_groups(array[v_group]);
            update groups set status = 'archived' where id = v_group;
            archived := archived + 1;
        exception when others then
            raise warning 'group % could not be archived: % (SQLSTATE %)', v_group, sqlerrm, sqlstate;
            failed := failed || v_group;
        end;
    end loop;
end;
$$;
