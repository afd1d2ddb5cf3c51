-- The warehouse runner's side of the job table (issue 16, items 2, 4, 5). The runner connects as ${runner_role},
-- a role of its own that may read jobs and claim, advance and finish them, and nothing else: it cannot
-- queue a job, read an application or touch a review.

-- A claim is a lease: the runner renews lease_until while it works; a runner that died stops renewing,
-- and once the lease has run out another runner may claim the job again (attempts counts the claims).
alter table job add column lease_until timestamptz;
alter table job add column heartbeat_at timestamptz;
alter table job add column attempts integer not null default 0 check (attempts >= 0);
alter table job add constraint job_running_is_leased check (status <> 'running' or (claimed_by is not null and lease_until is not null));
alter table job add constraint job_outcome_size check (outcome is null or length(outcome) <= 262144);

-- Previews run as often as a researcher asks and propagations on every schedule tick: only the extract of an
-- approved version stays once.
alter table job drop constraint job_application_id_version_kind_key;
create unique index job_extract_once on job (application_id, version) where kind = 'extract';
-- One propagation at a time per project: the schedule adds none while one is queued or running.
create unique index job_propagation_pending on job (project) where kind = 'propagation' and status in ('queued', 'running');
-- One preview at a time per application: a researcher waits for one before asking the next.
create unique index job_preview_pending on job (application_id) where kind = 'preview' and status in ('queued', 'running');
create index job_claimable on job (queued_at) where status in ('queued', 'running');
create index job_by_application on job (application_id, kind, queued_at);

do $$
begin
  execute format('grant connect on database %I to ${runner_role}', current_database());
end
$$;
grant usage on schema public to ${runner_role};
grant select (id, kind, application_id, version, project, purpose, spec, spec_sha256, status, progress, queued_at, claimed_by,
  claimed_at, lease_until, heartbeat_at, attempts, finished_at) on job to ${runner_role};
grant update (status, progress, claimed_by, claimed_at, lease_until, heartbeat_at, attempts, finished_at, outcome) on job to ${runner_role};
-- the portal queues previews and propagations and reads what the runner wrote
grant select, insert on job to ${app_role};
