-- Maintenance: the cluster's periodic jobs, each run by one instance.
--
-- Every instance ticks (the application's @Schedule); a job runs on the tick
-- that finds it due, and claim_due_job lets exactly one instance of the
-- cluster have each due run: the others find it claimed until the next
-- interval (maintenance_jobs keeps when each job last ran, by the
-- database's clock).

-- True when the job has not run for p_every (or never) and this caller is
-- the one to run it now; records the run as of now().
create or replace function claim_due_job(p_job text, p_every interval) returns boolean
    language sql
as $$
    insert into maintenance_jobs as j (job, last_run_at)
    values (p_job, now())
    on conflict (job) do update set last_run_at = now()
     where j.last_run_at <= now() - p_every
    returning true;
$$;
