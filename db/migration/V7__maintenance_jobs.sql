-- When a periodic job of the cluster last ran, by the database's clock.
--
-- Every instance ticks (a non-persistent EJB @Schedule); a job runs on the
-- tick that finds it due, and the claim below lets exactly one instance of
-- the cluster have each due run: the others find it claimed until the next
-- interval. (The archival keeps its own advisory lock too: a run claimed
-- here and one asked for through the API never overlap.)
create table maintenance_jobs (
    job         text primary key,
    last_run_at timestamptz not null
);

-- True when the job has not run for p_every (or never) and this caller is
-- the one to run it now; records the run as of now().
create function claim_due_job(p_job text, p_every interval) returns boolean
    language sql
as $$
    insert into maintenance_jobs as j (job, last_run_at)
    values (p_job, now())
    on conflict (job) do update set last_run_at = now()
     where j.last_run_at <= now() - p_every
    returning true;
$$;
