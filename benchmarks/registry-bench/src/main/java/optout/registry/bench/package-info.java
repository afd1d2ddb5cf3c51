/**
 * {@code ./optout bench registry}: the registry's load-and-crash benchmark. Many clients file opt-outs
 * while the registry's JVM is killed with SIGKILL and restarted; afterwards the benchmark proves from
 * the database that every acknowledged filing is stored exactly once and logged, and runs the audit.
 *
 * <p>A plain Java command in a module of its own, so nothing of it ships in the service's jar: it starts
 * the registry's boot jar as a separate process, as {@code ./optout up} does, and runs the audit through
 * that jar too.
 */
package optout.registry.bench;
