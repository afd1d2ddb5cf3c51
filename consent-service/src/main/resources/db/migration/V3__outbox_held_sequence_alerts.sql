-- Issue #14, nothing lost on refusal. Delivery order comes from a sequence assigned at insert (a
-- timestamp taken before commit could order two filings the wrong way round). Only the registry's
-- explicit domain refusals stop delivery, and then the row is held with its payload until a clerk
-- resolves it: retry, or close as refused with a reason the citizen is told.

create sequence registry_outbox_delivery_seq;
alter table registry_outbox add column delivery_seq bigint;
-- rows from before keep the order they had
update registry_outbox o set delivery_seq = n.seq
  from (select filing_id, row_number() over (order by created_at, filing_id) as seq from registry_outbox) n
 where n.filing_id = o.filing_id;
select setval('registry_outbox_delivery_seq', coalesce((select max(delivery_seq) from registry_outbox), 0) + 1, false);
alter table registry_outbox
  alter column delivery_seq set default nextval('registry_outbox_delivery_seq'),
  alter column delivery_seq set not null,
  add constraint registry_outbox_delivery_seq_unique unique (delivery_seq);
alter sequence registry_outbox_delivery_seq owned by registry_outbox.delivery_seq;

-- V1's checks had generated names: drop them all and state them again, with the new status.
do $$
declare
  c record;
begin
  for c in select conname from pg_constraint where conrelid = 'registry_outbox'::regclass and contype = 'c' loop
    execute format('alter table registry_outbox drop constraint %I', c.conname);
  end loop;
end
$$;

-- 'held': refused by the registry for a domain reason, payload kept for the clerk; 'refused': closed by
-- a clerk (or, before V3, dropped by the relay), payload gone.
alter table registry_outbox
  add constraint registry_outbox_attempts_check check (attempts >= 0),
  add constraint registry_outbox_delivered_check check ((status = 'delivered') = (delivered_at is not null)),
  add constraint registry_outbox_status_check check (status in ('pending', 'held', 'delivered', 'refused')),
  add constraint registry_outbox_payload_check check ((status in ('pending', 'held')) = (payload_sealed is not null)),
  add column held_at timestamptz,
  -- the registry's RFC 9457 problem type that held it
  add column held_problem_type text,
  add constraint registry_outbox_held_check check ((status = 'held') = (held_at is not null));
create index registry_outbox_order on registry_outbox (delivery_seq) where status in ('pending', 'held');

-- Every clerk's resolution of a held filing, insert-only: who, when, what, why.
create table outbox_resolution (
  id              bigint      generated always as identity primary key,
  filing_id       text        not null references filing (filing_id),
  action          text        not null check (action in ('retry', 'close')),
  -- for 'close' the reason the citizen is told
  reason          text        not null check (length(reason) between 1 and 500),
  clerk_subject   text        not null,
  resolved_at     timestamptz not null
);
create index outbox_resolution_filing on outbox_resolution (filing_id);

-- What staff must look at: a filing held by a domain refusal, a queue stuck for too long. Insert-only.
create table consent_alert (
  id         bigint      generated always as identity primary key,
  kind       text        not null check (kind in ('filing-held', 'outbox-stuck')),
  raised_at  timestamptz not null,
  filing_id  text        references filing (filing_id),
  detail     text        not null
);
create index consent_alert_filing on consent_alert (filing_id);

grant update (held_at, held_problem_type) on registry_outbox to ${app_role};
grant usage on sequence registry_outbox_delivery_seq to ${app_role};
grant select, insert on outbox_resolution, consent_alert to ${app_role};
