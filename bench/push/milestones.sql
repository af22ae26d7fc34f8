-- One transaction of the "push" scenario (pgbench -f, at a fixed rate): the next group of
-- bench.push_groups reaches its goal, everyone of it: milestone_group to each of its members,
-- written as record_group_milestones writes them (R__11_milestones.sql). The outbox's trigger
-- (R__19_outbox.sql) adds a push per device (two a member) and the group's webhook event, in
-- this transaction.
insert into notifications (recipient_id, kind, title, body, group_id, period_start)
select m.user_id, 'milestone_group', 'Everyone reached the goal',
       'Every member of ' || g.name || ' met this period''s goal.', g.id, date_trunc('day', now())
  from bench.push_groups p
  join groups g on g.id = p.group_id
  join group_members m on m.group_id = g.id
 where p.k = (select nextval('bench.push_next'))
on conflict do nothing;
