/**
 * {@code ./optout bench registry}: the registry's load-and-crash benchmark. Many clients file opt-outs
 * while the registry's JVM is killed with SIGKILL and restarted; afterwards the benchmark proves from
 * the database that every acknowledged filing is stored exactly once and logged, and runs the audit.
 *
 * <p>It runs as a plain Java main through the boot jar's {@code PropertiesLauncher}, in the registry's
 * jar only because it reuses its classes (the row SQL, the ID checks). Nothing here is a Spring
 * component, so the service's component scan, which covers this package, finds nothing in it; keep it
 * that way.
 */
package optout.registry.bench;
