/**
 * Log records: the leaves that are not events. What decides an exclusion set besides the events (the scope
 * rules in force, the auditors' exemption decisions) is logged beside them, authenticated by a row MAC as
 * events are, so that a snapshot at a checkpoint is computed, and can be recomputed by an auditor, from the
 * log up to that checkpoint alone.
 */
package optout.registry.record;
