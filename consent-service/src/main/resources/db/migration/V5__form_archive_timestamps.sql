-- Archive timestamps (PAdES B-LTA, ./optout consent restamp): a sealed form stamped again before its newest
-- timestamp's certificate ends. The filing's form_sha256, which the registry's log binds, never changes: each
-- restamped version is a new archived document that keeps the form as filed as an exact byte prefix of
-- original_length bytes, and the previous version too. Insert-only, as the rest of the archive.
create table form_restamp (
  filing_id           text        not null references filing (filing_id),
  sha256              text        not null references archived_document (sha256),
  previous_sha256     text        not null references archived_document (sha256),
  original_length     integer     not null check (original_length > 0),
  -- when the certificate of this version's newest timestamp ends: the next restamp is due before then
  timestamp_not_after timestamptz not null,
  stamped_at          timestamptz not null,
  primary key (filing_id, sha256),
  -- one line of versions: two restamp runs at once cannot both extend the same version
  unique (filing_id, previous_sha256),
  check (sha256 <> previous_sha256)
);
create index form_restamp_latest on form_restamp (filing_id, stamped_at desc);

grant select, insert on form_restamp to ${app_role};
