/**
 * The public statistics (no login): how many people currently have an opt-out, by scope, county, sex and
 * age band, and the daily series of filings; and the detection of abnormal opt-out surges. The
 * suppression and the detection are plain Java, no database: the caller counts, these classes protect and
 * judge. The Spring side is thin: {@link optout.registry.statistics.StatisticsQueries} counts (SQL),
 * {@link optout.registry.statistics.PublicStatistics} tabulates, suppresses and keeps one publication per
 * period, {@code StatisticsController} serves it to anyone at {@code GET /api/v1/statistics}; the surge
 * watch and its alerts are in {@code optout.registry.alert}.
 *
 * <h2>Small-cell suppression ({@link optout.registry.statistics.SmallCellSuppression})</h2>
 *
 * <p>The counts are of <em>people</em> (people currently opted out, or filings of a day), so a small count
 * can point at a person: 2 opted-out men aged 90+ in Lienchiang County. The method, as statistical offices
 * apply it to frequency tables:
 * <ol>
 *   <li><b>Primary suppression.</b> A value with 0 &lt; count &lt; threshold (default 10) is suppressed;
 *       this applies to margins and the grand total as well as to inner cells. <b>A true zero is shown</b>:
 *       it says that nobody in that group opted out, which discloses nothing about a person, and hiding
 *       zeros would only make the tables harder to read (a zero is an empty cell, not a small one).</li>
 *   <li><b>Secondary (complementary) suppression.</b> A table is a set of equations "the parts sum to the
 *       total": the one equation of a one-way table; in a two-way table, each row and column with its
 *       margin, and the row margins and the column margins each with the grand total. An equation with
 *       exactly one suppressed value gives that value away by subtraction, so another value of the
 *       equation is suppressed: a positive inner value, else the equation's total, else a zero; among
 *       those, one that also completes another line left with a single suppressed value (this closes
 *       rectangles instead of cascading), then the smallest, then the first in table order. An equation whose total is shown
 *       and whose suppressed parts add up to fewer than threshold people also gets another complement,
 *       since their sum, derivable by subtraction, would itself be a small count. This repeats over all
 *       equations until nothing changes.</li>
 *   <li><b>Linear check.</b> "Two suppressed per line" is not enough in two-way tables: a suppressed cell
 *       linking two otherwise separate blocks of suppressed cells is recovered by adding and subtracting
 *       whole rows and columns. So the suppressed values are then treated as unknowns of all equations
 *       together; any value they determine (a pivot of the reduced row echelon form that touches no free
 *       unknown) gets a further complement from its equations, and steps 2 and 3 repeat until no
 *       suppressed value is determined.</li>
 * </ol>
 * The result is deterministic (fixed orders, no randomness). Every published value is 0 or at least the
 * threshold; suppressed values are shown as "suppressed", with the reason (primary or secondary) only in
 * the auditors' {@link optout.registry.statistics.SuppressionAudit}.
 *
 * <p>A table whose categories overlap (people by scope: one person may opt out of several) has no such
 * equation: its total is the number of distinct people, no sum of the cells. Only primary suppression
 * applies there.
 *
 * <p><b>Limits.</b>
 * <ul>
 *   <li>It guards against exact recovery from the equations of one table, not against <em>bounds</em>: with
 *       the knowledge that counts are non-negative, linear programming narrows a suppressed value to an
 *       interval, sometimes a narrow one (e.g. two suppressed cells in a row whose published remainder is
 *       12: each lies in 0..12). No minimum protection interval is enforced beyond the group rule above.</li>
 *   <li>It protects each table on its own. Tables of different dimensions share the grand total (people
 *       currently opted out): it is the same number in each, so primary suppression treats it alike, but
 *       should one table suppress it as a complement (its audit says so), suppress it in all of them. A
 *       one-way table of a dimension that also appears in a two-way table must be published <em>as that
 *       table's margins</em>, and tables that overlap otherwise (county by sex and county by age band share
 *       the county margins; a table and a sub-table of it) can be attacked together. Such linked tables
 *       need the suppression to be coordinated, which this class does not do; {@link
 *       optout.registry.statistics.LinkedTableSuppression} does, for two-way tables sharing their column
 *       dimension and an overlapping table sharing their total (what the public statistics publish).</li>
 *   <li>The counts change every day as people opt out and withdraw. Two publications of the same table
 *       differ by the people who changed in between: a county's count rising from 1,523 to 1,524 overnight
 *       tells that one person there opted out, although neither number is small. Publish on a fixed,
 *       coarse schedule (or publish changes only as suppressed tables of their own).</li>
 *   <li>Complements are chosen greedily, not by an optimal (minimum information loss) search, so a table
 *       may lose a few more values than the best pattern would.</li>
 * </ul>
 *
 * <h2>Surges ({@link optout.registry.statistics.SurgeDetector})</h2>
 *
 * <p>A day is a surge when its filings reach the median of the same weekday over the previous four weeks
 * plus five robust standard deviations (median absolute deviation on the square-root scale), with at least
 * 20 filings and 1.5 times the expected count; see the class for why.
 */
package optout.registry.statistics;
