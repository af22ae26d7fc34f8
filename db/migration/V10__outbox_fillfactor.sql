-- The outbox's rows are updated twice after they are written: the claim
-- (attempts, lease) and the result (status, end). The claim changes no
-- indexed column, so with room on the row's page PostgreSQL writes its new
-- version there without touching the table's eight indexes (a HOT update);
-- the result changes the status the partial indexes depend on and cannot.
-- Pages filled to the brim by the inserts leave no such room: half of each
-- page is kept free for the claims (BENCHMARKS.md, push, 2026-12-07).
alter table outbox set (fillfactor = 50);
