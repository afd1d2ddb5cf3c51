-- The e-mail relay (issue 16, item 1): it sends what Notifications queued in email_outbox. Run by the owner role.
-- A failed attempt stays pending with its next attempt's time (capped backoff); a recipient whose account has no
-- address (or no longer exists) is marked undeliverable instead of being retried forever. The last error is
-- its kind only: an SMTP server's message may quote the address.
alter table email_outbox drop constraint email_outbox_status_check;
alter table email_outbox add constraint email_outbox_status_check
  check (status in ('pending', 'sent', 'failed', 'undeliverable'));
alter table email_outbox
  add column next_attempt_at  timestamptz,
  add column last_attempt_at  timestamptz,
  add column last_error       text check (length(last_error) <= 200);
drop index email_outbox_pending;
create index email_outbox_due on email_outbox (coalesce(next_attempt_at, created_at)) where status = 'pending';

grant update (status, attempts, sent_at, next_attempt_at, last_attempt_at, last_error) on email_outbox to ${app_role};
