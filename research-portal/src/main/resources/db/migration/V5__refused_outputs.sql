-- Refused output uploads (issue 16, item 6): every attempt to release an output that was refused before anything
-- was stored (not a table, too large, disclosive, differencing, a closed or unapproved project, someone else's
-- project) leaves a record: who, which project, when, why, and the upload's SHA-256 and size, never its content.
-- Run by the owner role; the portal connects as ${app_role}, which may only add and read these rows.
create table refused_output (
  id                  bigint      generated always as identity primary key,
  -- the project as named in the request, only when it is a project's name at all (a malformed one could be anything)
  project             text        check (project ~ '^application-[1-9][0-9]{0,17}$'),
  -- the project's application when one of that name exists (also when the requester is not its researcher)
  application_id      uuid        references application (id),
  requester_subject   text        not null,
  by_project_owner    boolean     not null,
  attempted_at        timestamptz not null,
  -- the problem type answered (not-found, project-closed, output-invalid, output-differencing, body-too-large, ...)
  problem_type        text        not null check (problem_type ~ '^[a-z][a-z-]{0,63}$'),
  -- the rules that refused it (identifier-category, small-difference, derivable, too-large, ...), never the messages
  rules               text[]      not null default '{}',
  rules_requested     text        check (length(rules_requested) <= 32),
  upload_sha256       text        not null check (upload_sha256 ~ '^[0-9a-f]{64}$'),
  upload_size         integer     not null check (upload_size >= 0),
  check (application_id is null or project is not null)
);
create index refused_output_application on refused_output (application_id, attempted_at) where application_id is not null;
create index refused_output_recent on refused_output (attempted_at);

grant select, insert on refused_output to ${app_role};
