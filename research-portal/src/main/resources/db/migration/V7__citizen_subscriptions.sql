-- The citizen's view (issue 17, items 1 and 2): e-mail subscriptions to "my data was used" and "my status changed".
-- A subscription keeps the citizen's warehouse (layer-1) pseudonym and its key version, which the registry gave the
-- portal with the citizen's own token when they subscribed: the watch needs it to find new usage-ledger rows. It is
-- the only place the portal keeps it, and it is deleted with the subscription. Never the national ID.
create table citizen_subscription (
  subject               text        primary key,
  pseudonym             bigint      not null,
  key_version           integer     not null check (key_version > 0),
  data_used             boolean     not null,
  status_changed        boolean     not null,
  -- the usage-ledger extracts already told (so each extract is told once), and the status's fingerprint last seen
  usage_told            integer     not null default 0 check (usage_told >= 0),
  status_fingerprint    text        check (status_fingerprint ~ '^[0-9a-f]{64}$'),
  created_at            timestamptz not null,
  updated_at            timestamptz not null,
  check (data_used or status_changed)
);

-- A citizen's notification names no application: it says only what happened ("log in to see").
alter table notification alter column application_id drop not null;
alter table notification add constraint notification_application_or_citizen
  check (application_id is not null or to_status in ('citizen-data-used', 'citizen-status-changed'));

grant select, insert, update, delete on citizen_subscription to ${app_role};
