-- Legal exemptions are authorised, not asserted: an auditor grants (and revokes) an exemption to one
-- releasing service, citing the act that approved it; every use is recorded. Both append-only.
create table exemption_decision (
  id                 bigint generated always as identity primary key,
  exemption          text        not null,
  grantee            text        not null,  -- the releasing service's client ID
  action             text        not null check (action in ('grant', 'revoke')),
  approval_reference text        not null check (length(approval_reference) between 3 and 300),
  decided_by         text        not null,  -- the auditor's account (subject)
  decided_at         timestamptz not null
);
create index exemption_decision_pair on exemption_decision (exemption, grantee, id);

create table exemption_use (
  id          bigint generated always as identity primary key,
  exemption   text        not null,
  grantee     text        not null,
  purpose     text        not null,
  checkpoint  bigint      not null check (checkpoint >= 0),
  kind        text        not null check (kind in ('snapshot', 'bulk-check')),
  used_at     timestamptz not null
);
create index exemption_use_exemption on exemption_use (exemption, used_at);

create trigger exemption_decision_append_only before update or delete on exemption_decision
  for each row execute function refuse_change();
create trigger exemption_decision_no_truncate before truncate on exemption_decision
  for each statement execute function refuse_change();
create trigger exemption_use_append_only before update or delete on exemption_use
  for each row execute function refuse_change();
create trigger exemption_use_no_truncate before truncate on exemption_use
  for each statement execute function refuse_change();

grant select, insert on exemption_decision, exemption_use to ${app_role};
grant usage on all sequences in schema public to ${app_role};
