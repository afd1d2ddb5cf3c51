-- Sealed filings (leaf format nhi-optout-registry-event/2) name who filed at the consent service: the clerk's
-- or citizen's role there and a keyed pseudonym of their account (HMAC under a key the database does not
-- hold). Both are null for events stored before, whose leaves stay format 1.
alter table registry_event add column filer_role text check (filer_role in ('clerk', 'citizen'));
alter table registry_event add column filer_pseudonym text check (filer_pseudonym ~ '^[0-9a-f]{32}$');
alter table registry_event add constraint registry_event_filer_check check ((filer_role is null) = (filer_pseudonym is null));
