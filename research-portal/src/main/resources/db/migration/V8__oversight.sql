-- The oversight console (issue 17, item 5). Run by the owner role; the portal connects as ${app_role}.
-- Every evidence bundle an auditor takes out is itself an audit event: who (Keycloak subject), which project's
-- extract, at which registry checkpoint, when, and the bundle's SHA-256 (so a bundle handed on can be matched
-- with its record). The bundle's content is not kept: it can be made again from the same sources.
create table evidence_export (
  id                bigint      generated always as identity primary key,
  auditor_subject   text        not null,
  project           text        not null check (project ~ '^application-[1-9][0-9]{0,17}$'),
  extract_id        text        not null check (length(extract_id) between 1 and 200),
  checkpoint_size   bigint      not null check (checkpoint_size >= 0),
  bundle_sha256     text        not null check (bundle_sha256 ~ '^[0-9a-f]{64}$'),
  bundle_size       bigint      not null check (bundle_size > 0),
  exported_at       timestamptz not null
);
create index evidence_export_recent on evidence_export (exported_at);

grant select, insert on evidence_export to ${app_role};
