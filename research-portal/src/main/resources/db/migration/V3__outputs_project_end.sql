-- Output release (issue 16 item 6) and project end (item 7). Run by the owner role; the portal connects as
-- ${app_role}, which adds rows and moves an output along, and deletes nothing.

-- An aggregate result a researcher of an approved project asks to take out, as uploaded and as the
-- automatic output check released it (the rule set, the released CSV, the checker's report). The record
-- stays whatever the outcome: every release is in the project's register of outputs.
create table output_release (
  id                 uuid        primary key,
  application_id     uuid        not null references application (id),
  -- per project: output 1, 2, ... (what the researcher and the checkers quote)
  number             integer     not null check (number > 0),
  requester_subject  text        not null,
  -- a retried upload with the same Idempotency-Key finds this row instead of making a second output
  creation_key       text        check (creation_key ~ '^[A-Za-z0-9._:-]{8,64}$'),
  description        text        not null check (length(description) between 1 and 4000),
  rules              text        not null check (rules in ('small-cell', 'opensafely')),
  threshold          integer     not null check (threshold >= 1),
  rounding_base      integer     not null check (rounding_base >= 1),
  original_csv       text        not null check (length(original_csv) <= 1048576),
  original_sha256    text        not null check (original_sha256 ~ '^[0-9a-f]{64}$'),
  released_csv       text        not null check (length(released_csv) <= 2097152),
  released_sha256    text        not null check (released_sha256 ~ '^[0-9a-f]{64}$'),
  check_report       text        not null,
  status             text        not null default 'awaiting-checks' check (status in ('awaiting-checks', 'released', 'rejected')),
  submitted_at       timestamptz not null,
  decided_at         timestamptz,
  unique (application_id, number),
  unique (application_id, requester_subject, creation_key),
  check ((status = 'awaiting-checks') = (decided_at is null))
);
create index output_release_awaiting on output_release (submitted_at) where status = 'awaiting-checks';

-- The output checkers' decisions: one per checker and output, never by the one who asked; two approvals
-- release an output, one rejection rejects it (the service decides; the trigger is the last line).
create table output_check (
  output_id        uuid        not null references output_release (id),
  checker_subject  text        not null,
  outcome          text        not null check (outcome in ('approve', 'reject')),
  reason           text        not null check (length(reason) between 1 and 4000),
  decided_at       timestamptz not null,
  primary key (output_id, checker_subject)
);

create function output_check_allowed() returns trigger language plpgsql as $$
declare
  output record;
begin
  select requester_subject, status into output from output_release where id = new.output_id;
  if output.requester_subject = new.checker_subject then
    raise exception 'an output is never checked by the one who asked for it' using errcode = 'P0001';
  end if;
  if output.status <> 'awaiting-checks' then
    raise exception 'the output was decided already' using errcode = 'P0001';
  end if;
  return new;
end
$$;
create trigger output_check_allowed before insert on output_check for each row execute function output_check_allowed();

-- A project's end: an approver (a reviewer, never the project's researcher) closed it. Closing queues the
-- warehouse's `close` job (destroy the project's release keys, drop its tables) in the same transaction.
create table project_closure (
  application_id  uuid        primary key references application (id),
  project         text        not null unique,
  closed_by       text        not null,
  reason          text        not null check (length(reason) between 1 and 4000),
  closed_at       timestamptz not null,
  close_job       uuid        not null unique references job (id)
);

-- The job table learns the kind `close`. The check is rebuilt from the kinds it allows now, so that kinds
-- another migration added before this one stay allowed.
do $$
declare
  kinds text[];
  name text;
begin
  select c.conname, array(select m[1] from regexp_matches(pg_get_constraintdef(c.oid), '''([a-z-]+)''', 'g') as m)
    into name, kinds
    from pg_constraint c
    where c.conrelid = 'job'::regclass and c.contype = 'c' and pg_get_constraintdef(c.oid) like 'CHECK ((kind = ANY (ARRAY[%';
  if name is null then
    raise exception 'no check on job.kind found';
  end if;
  if not 'close' = any (kinds) then
    kinds := array_append(kinds, 'close');
  end if;
  execute format('alter table job drop constraint %I', name);
  execute format('alter table job add constraint job_kind_check check (kind = any (%L::text[]))', kinds);
end
$$;

grant select, insert on output_release, output_check, project_closure to ${app_role};
grant update (status, decided_at) on output_release to ${app_role};
