/**
 * Alerts for auditors: the rows of the append-only {@code registry_alert} table, of every kind (abnormal
 * opt-out surges raised here by {@link optout.registry.alert.SurgeWatch}; unauthenticated events raised by
 * the sequencer), listed newest first for the auditor role only. The registry may insert and read alerts,
 * never change one, so "raise once" is a check before the insert, under a lock, not an update.
 */
package optout.registry.alert;
