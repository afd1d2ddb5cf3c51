-- The public register (issue 17, item 3): dated snapshots of the register, signed with the portal's register key
-- (Ed25519), kept exactly as published so that anyone can diff two of them. Run by the owner role; the portal
-- connects as ${app_role}, which adds a snapshot and reads them, and never changes or deletes one.
create table register_snapshot (
  -- one per calendar day (UTC): what a watchdog quotes and fetches
  snapshot_date   date        primary key,
  taken_at        timestamptz not null,
  -- the snapshot's exact bytes (canonical JSON, UTF-8), the SHA-256 of those bytes and the Ed25519 signature over them
  content         bytea       not null check (length(content) between 2 and 67108864),
  sha256          text        not null check (sha256 ~ '^[0-9a-f]{64}$'),
  signature       text        not null check (signature ~ '^[A-Za-z0-9+/]{86}==$'),
  -- the SHA-256 of the signing key's public half (X.509 SubjectPublicKeyInfo), so a key change is visible
  key_sha256      text        not null check (key_sha256 ~ '^[0-9a-f]{64}$'),
  projects        integer     not null check (projects >= 0)
);

create function register_snapshot_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'a published register snapshot never changes' using errcode = 'P0001';
end
$$;
create trigger register_snapshot_frozen before update or delete on register_snapshot
  for each row execute function register_snapshot_frozen();

grant select, insert on register_snapshot to ${app_role};

-- The public statistics over time (issue 17, item 4): the first publication of the registry's suppressed statistics that
-- the portal showed on each day (Asia/Taipei), as the registry served it and after the portal's own small-cell check, so
-- that the page can show each table over time. Only what was already public is kept.
create table statistics_publication (
  publication_day  date        primary key,
  as_of            timestamptz not null,
  publication      jsonb       not null,
  recorded_at      timestamptz not null
);

grant select, insert on statistics_publication to ${app_role};
