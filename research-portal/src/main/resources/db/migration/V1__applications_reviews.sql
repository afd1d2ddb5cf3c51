-- Research applications and their review. Run by the owner role; the portal connects as ${app_role},
-- which may add rows and move an application along, never delete anything or change what was submitted.
-- People are named by their Keycloak subject (an opaque account ID), never by a national ID.

-- Ethics approvals as uploaded, addressed by their SHA-256 (checked as PDFs before they get here).
create table ethics_document (
  sha256      text        primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size        integer     not null check (size > 0),
  pages       integer     not null check (pages > 0),
  content     bytea       not null check (length(content) = size),
  stored_at   timestamptz not null
);

create table application (
  id                   uuid        primary key,
  -- what people quote ("application 12"); also names the project in the spec: application-12
  number               bigint      generated always as identity unique,
  owner_subject        text        not null,
  -- a retried "create" with the same Idempotency-Key finds this row instead of making a second draft
  creation_key         text        check (creation_key ~ '^[A-Za-z0-9._:-]{8,64}$'),
  status               text        not null check (status in
                                     ('draft', 'submitted', 'changes-requested', 'approved', 'rejected', 'withdrawn')),
  -- the version being edited (draft, changes requested) or the last one submitted
  current_version      integer     not null check (current_version > 0),
  created_at           timestamptz not null,
  updated_at           timestamptz not null,
  -- what was approved: the purpose and the version and spec that the extract will use
  approved_version     integer,
  approved_purpose     text,
  approved_spec_sha256 text        check (approved_spec_sha256 ~ '^[0-9a-f]{64}$'),
  unique (owner_subject, creation_key),
  check ((status = 'approved') = (approved_version is not null)),
  check ((approved_version is null) = (approved_purpose is null)),
  check ((approved_version is null) = (approved_spec_sha256 is null))
);
create index application_owner on application (owner_subject, created_at);
create index application_queue on application (updated_at) where status = 'submitted';

-- Every version of an application. A version is a draft until it is submitted; from then on nothing in
-- it changes (the trigger below). "Request changes" makes the researcher's next edit a new version.
create table application_version (
  application_id  uuid        not null references application (id),
  version         integer     not null check (version > 0),
  content         jsonb       not null,
  ethics_sha256   text        references ethics_document (sha256),
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  submitted_at    timestamptz,
  -- the extract spec the portal built from the content at submission, exactly as it was checked
  spec            text        check (spec is null or length(spec) <= 65536),
  spec_sha256     text        check (spec_sha256 ~ '^[0-9a-f]{64}$'),
  primary key (application_id, version),
  check ((submitted_at is null) = (spec is null)),
  check ((spec is null) = (spec_sha256 is null))
);

create function application_version_frozen() returns trigger language plpgsql as $$
begin
  if old.submitted_at is not null then
    raise exception 'version % of an application was submitted and cannot change', old.version using errcode = 'P0001';
  end if;
  return new;
end
$$;
create trigger application_version_frozen before update on application_version
  for each row execute function application_version_frozen();

-- Every change of status, with who made it and why: the history both sides see.
create table status_change (
  id              bigint      generated always as identity primary key,
  application_id  uuid        not null references application (id),
  version         integer     not null,
  from_status     text,
  to_status       text        not null,
  actor_subject   text        not null,
  actor_role      text        not null check (actor_role in ('researcher', 'reviewer')),
  reason          text        check (length(reason) <= 4000),
  changed_at      timestamptz not null
);
create index status_change_application on status_change (application_id, id);

-- A reviewer's decision on a version: one per version, ever.
create table decision (
  application_id    uuid        not null,
  version           integer     not null,
  outcome           text        not null check (outcome in ('approve', 'reject', 'request-changes')),
  reason            text        not null check (length(reason) between 1 and 4000),
  reviewer_subject  text        not null,
  decided_at        timestamptz not null,
  primary key (application_id, version),
  foreign key (application_id, version) references application_version (application_id, version)
);

-- Reviewers' comments, each either for reviewers only or shown to the researcher.
create table review_comment (
  id                uuid        primary key,
  application_id    uuid        not null references application (id),
  version           integer     not null,
  author_subject    text        not null,
  visibility        text        not null check (visibility in ('reviewer-only', 'shown-to-researcher')),
  body              text        not null check (length(body) between 1 and 4000),
  created_at        timestamptz not null
);
create index review_comment_application on review_comment (application_id, created_at);

-- What a person sees in the portal; the researcher gets one for every change of status.
create table notification (
  id                 uuid        primary key,
  recipient_subject  text        not null,
  application_id     uuid        not null references application (id),
  to_status          text        not null,
  message            text        not null,
  created_at         timestamptz not null,
  read_at            timestamptz
);
create index notification_recipient on notification (recipient_subject, created_at);

-- E-mail to send, written in the same transaction as its notification. Nothing sends it yet: a relay
-- (later) looks the recipient's address up in Keycloak by subject, sends, and marks the row sent.
create table email_outbox (
  notification_id    uuid        primary key references notification (id),
  recipient_subject  text        not null,
  subject            text        not null,
  body               text        not null,
  status             text        not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts           integer     not null default 0 check (attempts >= 0),
  created_at         timestamptz not null,
  sent_at            timestamptz,
  check ((status = 'sent') = (sent_at is not null))
);
create index email_outbox_pending on email_outbox (created_at) where status = 'pending';

-- The only contract between the portal and the warehouse: jobs the warehouse runner claims (later).
-- An approval queues the extract of the approved spec in the same transaction as the decision.
create table job (
  id               uuid        primary key,
  kind             text        not null check (kind in ('preview', 'extract', 'propagation')),
  application_id   uuid        not null references application (id),
  version          integer     not null,
  project          text        not null check (project ~ '^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$'),
  purpose          text        not null,
  spec             text        not null,
  spec_sha256      text        not null check (spec_sha256 ~ '^[0-9a-f]{64}$'),
  status           text        not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  progress         integer     not null default 0 check (progress between 0 and 100),
  queued_at        timestamptz not null,
  claimed_by       text,
  claimed_at       timestamptz,
  finished_at      timestamptz,
  outcome          text,
  -- an application's approved version is extracted once
  unique (application_id, version, kind)
);
create index job_queued on job (queued_at) where status = 'queued';

do $$
begin
  execute format('grant connect on database %I to ${app_role}', current_database());
end
$$;
grant usage on schema public to ${app_role};
grant select, insert on ethics_document, application, application_version, status_change, decision,
  review_comment, notification, email_outbox, job to ${app_role};
grant update (status, current_version, updated_at, approved_version, approved_purpose, approved_spec_sha256)
  on application to ${app_role};
grant update (content, ethics_sha256, updated_at, submitted_at, spec, spec_sha256) on application_version to ${app_role};
grant update (read_at) on notification to ${app_role};
grant select on flyway_schema_history to ${app_role};
