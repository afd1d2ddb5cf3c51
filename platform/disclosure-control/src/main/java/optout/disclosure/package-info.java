/**
 * Statistical disclosure control of frequency tables, in plain Java: small-cell suppression with
 * complementary suppression, for the registry's public statistics and for aggregate results leaving the
 * warehouse's secure environment (the output check). The caller counts and sets the threshold; these classes
 * protect. {@link optout.disclosure.OneWayTable} and {@link optout.disclosure.TwoWayTable} hold the counts,
 * {@link optout.disclosure.SmallCellSuppression} protects one table, {@link optout.disclosure.LinkedTableSuppression}
 * tables published side by side, and {@link optout.disclosure.LinearAttack} checks a result independently.
 *
 * <h2>Small-cell suppression ({@link optout.disclosure.SmallCellSuppression})</h2>
 *
 * <p>The counts are of <em>people</em> (or of their records), so a small count can point at a person: 2
 * opted-out men aged 90+ in Lienchiang County. The method, as statistical offices apply it to frequency
 * tables:
 * <ol>
 *   <li><b>Primary suppression.</b> A value with 0 &lt; count &lt; threshold is suppressed; this applies to
 *       margins and the grand total as well as to inner cells. The threshold is the caller's policy and at
 *       least 1 (the registry's public statistics use 10, the warehouse's output check 3 by default).
 *       <b>A true zero is shown</b>: it says that nobody is in that group, which discloses nothing about a
 *       person, and hiding zeros would only make the tables harder to read (a zero is an empty cell, not a
 *       small one).</li>
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
 * the {@link optout.disclosure.SuppressionAudit}, which is for whoever checks the release, never for its
 * readers (it tells which values are small).
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
 *   <li>It protects each table on its own. Tables of different dimensions share the grand total: it is the
 *       same number in each, so primary suppression treats it alike, but should one table suppress it as a
 *       complement (its audit says so), suppress it in all of them. A one-way table of a dimension that also
 *       appears in a two-way table must be published <em>as that table's margins</em>, and tables that
 *       overlap otherwise (county by sex and county by age band share the county margins; a table and a
 *       sub-table of it) can be attacked together. Such linked tables need the suppression to be
 *       coordinated, which this class does not do; {@link optout.disclosure.LinkedTableSuppression} does, for
 *       two-way tables sharing their column dimension and an overlapping table sharing their total.</li>
 *   <li>Counts that change over time: two publications of the same table differ by the people who changed
 *       in between (a count rising from 1,523 to 1,524 tells that one person joined, although neither number
 *       is small). Publish on a fixed, coarse schedule, or publish changes only as suppressed tables of
 *       their own.</li>
 *   <li>Complements are chosen greedily, not by an optimal (minimum information loss) search, so a table
 *       may lose a few more values than the best pattern would.</li>
 * </ul>
 */
package optout.disclosure;
