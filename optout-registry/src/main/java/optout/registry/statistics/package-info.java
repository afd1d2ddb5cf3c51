/**
 * The public statistics (no login): how many people currently have an opt-out, by scope, county, sex and
 * age band, and the daily series of filings; and the detection of abnormal opt-out surges. The
 * suppression and the detection are plain Java, no database: the caller counts, these classes protect and
 * judge. The Spring side is thin: {@link optout.registry.statistics.StatisticsQueries} counts (SQL),
 * {@link optout.registry.statistics.PublicStatistics} tabulates, suppresses and keeps one publication per
 * period, {@code StatisticsController} serves it to anyone at {@code GET /api/v1/statistics}; the surge
 * watch and its alerts are in {@code optout.registry.alert}.
 *
 * <h2>Small-cell suppression</h2>
 *
 * <p>The suppression itself (primary, complementary and the linear check, with its limits) is the shared
 * plain-Java library {@code platform/disclosure-control}, package {@link optout.disclosure}, which the
 * warehouse's output check uses too. The registry's policy is set here: the threshold is 10 (counts of 1 to
 * 9 people are never published), configurable upwards only ({@link
 * optout.registry.statistics.StatisticsProperties#MINIMUM_THRESHOLD}); county by sex and age band by sex are
 * suppressed as linked tables, with people by scope (overlapping) taking their grand total; the one-way
 * tables by county, sex and age band are their margins; each day's series of filings is an additive one-way
 * table of its own. The counts change every day as people opt out and withdraw, so one publication per
 * period is computed and cached (see {@link optout.registry.statistics.PublicStatistics}).
 *
 * <h2>Surges ({@link optout.registry.statistics.SurgeDetector})</h2>
 *
 * <p>A day is a surge when its filings reach the median of the same weekday over the previous four weeks
 * plus five robust standard deviations (median absolute deviation on the square-root scale), with at least
 * 20 filings and 1.5 times the expected count; see the class for why.
 */
package optout.registry.statistics;
