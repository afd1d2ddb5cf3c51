package optout.warehouse.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The representativeness report of an extract: counts the cohort before and after exclusion with Spark
 * (ten-year age bands up to 80-84 and 85+, sex, county, the ten most frequent leading diagnoses and the rest), judges them
 * with {@link Representativeness}, and writes the result as JSON and as an HTML page with bar charts
 * (inline SVG: no script, no outside resource), Traditional Chinese first.
 */
public final class RepresentativenessReport {

  private static final int TOP_DIAGNOSES = 10;
  private final Representativeness judge;

  public RepresentativenessReport(Representativeness judge) {
    this.judge = judge;
  }

  /**
   * @param rows the extract's cohort: person, age, sex, county, leading_diagnosis, excluded (boolean); a person may
   *     have several rows
   */
  public Representativeness.Report compute(Dataset<Row> rows) {
    // one row a person: someone enrolled twice (another county, a new category) is still one person, counted once
    // in every dimension (the smallest value of each, so the same data always gives the same report)
    Dataset<Row> cohort = rows.groupBy("person").agg(
        org.apache.spark.sql.functions.min("age").as("age"), org.apache.spark.sql.functions.min("sex").as("sex"),
        org.apache.spark.sql.functions.min("county").as("county"),
        org.apache.spark.sql.functions.min("leading_diagnosis").as("leading_diagnosis"),
        org.apache.spark.sql.functions.max(col("excluded").cast("int")).equalTo(1).as("excluded"));
    // ten-year bands, the last decade split where the open band starts (80-84, then 85+): bands never overlap
    Column band = when(col("age").geq(85), "85+")
        .when(col("age").geq(80), "80-84")
        .otherwise(org.apache.spark.sql.functions.concat(
            col("age").divide(10).cast("int").multiply(10).cast("string"), org.apache.spark.sql.functions.lit("-"),
            col("age").divide(10).cast("int").multiply(10).plus(9).cast("string")));
    Dataset<Row> framed = cohort.withColumn("age_band", band);
    List<String> top = new ArrayList<>();
    for (Row row : framed.groupBy("leading_diagnosis").count().orderBy(col("count").desc(), col("leading_diagnosis"))
        .limit(TOP_DIAGNOSES).collectAsList()) {
      top.add(row.getString(0));
    }
    framed = framed.withColumn("diagnosis", when(col("leading_diagnosis").isin(top.toArray()), col("leading_diagnosis")).otherwise("other"));
    Map<String, Map<String, long[]>> counts = new LinkedHashMap<>();
    counts.put("age_band", counts(framed, "age_band"));
    counts.put("sex", counts(framed, "sex"));
    counts.put("county", counts(framed, "county"));
    counts.put("leading_diagnosis", counts(framed, "diagnosis"));
    return judge.report(counts);
  }

  private static Map<String, long[]> counts(Dataset<Row> cohort, String dimension) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (Row row : cohort.groupBy(col(dimension)).agg(count("*").as("before"), sum(when(col("excluded"), 0).otherwise(1)).as("after"))
        .orderBy(col(dimension)).collectAsList()) {
      counts.put(row.isNullAt(0) ? "unknown" : row.getString(0), new long[] {row.getLong(1), row.getLong(2)});
    }
    return counts;
  }

  /** Writes {@code <dir>/<extract>.representativeness.json} and {@code .html}; returns the JSON file. */
  public static Path write(Path directory, String extractId, Representativeness.Report report) throws IOException {
    Files.createDirectories(directory);
    Path json = directory.resolve(extractId + ".representativeness.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    Files.writeString(directory.resolve(extractId + ".representativeness.html"), html(extractId, report), StandardCharsets.UTF_8);
    return json;
  }

  static String html(String extractId, Representativeness.Report report) {
    StringBuilder page = new StringBuilder();
    page.append("<!doctype html>\n<html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"><title>排除前後之代表性 Representativeness ")
        .append(escape(extractId)).append("</title>\n<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            + "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #999;padding:.3rem .6rem;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}.flag{color:#a00;font-weight:bold}[lang=en]{color:#444}</style></head><body>\n");
    page.append("<h1>排除前後之代表性 <span lang=\"en\">Representativeness before and after exclusion</span></h1>\n");
    page.append("<p>抽取 Extract <code>").append(escape(extractId)).append("</code>：世代 ").append(report.personsBefore())
        .append(" 人，排除 ").append(report.personsExcluded()).append(" 人，餘 ").append(report.personsAfter())
        .append(" 人。<span lang=\"en\">Cohort ").append(report.personsBefore()).append(", excluded ").append(report.personsExcluded())
        .append(", remaining ").append(report.personsAfter()).append(".</span></p>\n");
    page.append("<p>小於 ").append(report.smallCellThreshold()).append(" 之格數不顯示；|d| ≥ ").append(report.flagThreshold())
        .append(" 標示為有差異。<span lang=\"en\">Counts below ").append(report.smallCellThreshold())
        .append(" are hidden; a standardised difference |d| ≥ ").append(report.flagThreshold()).append(" is flagged.</span></p>\n");
    for (Representativeness.Dimension dimension : report.dimensions()) {
      page.append("<h2>").append(escape(dimension.name()));
      if (dimension.flagged()) {
        page.append(" <span class=\"flag\">⚑ 有差異 <span lang=\"en\">differs</span></span>");
      }
      page.append("</h2>\n").append(chart(dimension)).append("<table><caption>").append(escape(dimension.name()))
          .append("</caption><tr><th scope=\"col\">類別 Category</th><th scope=\"col\">排除前 Before</th><th scope=\"col\">排除後 After</th>"
              + "<th scope=\"col\">比例前 % before</th><th scope=\"col\">比例後 % after</th><th scope=\"col\">d</th></tr>\n");
      for (Representativeness.Category category : dimension.categories()) {
        page.append("<tr><td>").append(escape(category.name())).append("</td>");
        if (category.shown()) {
          page.append("<td>").append(category.before()).append("</td><td>").append(category.after()).append("</td><td>")
              .append(percent(category.proportionBefore())).append("</td><td>").append(percent(category.proportionAfter())).append("</td>");
        } else {
          page.append("<td colspan=\"4\">小格不顯示 <span lang=\"en\">small cell, hidden</span></td>");
        }
        page.append("<td>").append(String.format(Locale.ROOT, "%.2f", category.standardisedDifference())).append("</td></tr>\n");
      }
      page.append("</table>\n");
    }
    return page.append("</body></html>\n").toString();
  }

  /** Paired bars of the shown categories' proportions before (grey) and after (blue). */
  private static String chart(Representativeness.Dimension dimension) {
    List<Representativeness.Category> shown = dimension.categories().stream().filter(Representativeness.Category::shown).toList();
    int rowHeight = 26;
    int height = Math.max(rowHeight, shown.size() * rowHeight) + 10;
    StringBuilder svg = new StringBuilder("<svg role=\"img\" width=\"640\" height=\"").append(height)
        .append("\" aria-label=\"").append(escape(dimension.name())).append(": proportions before (grey) and after (blue) exclusion\">");
    int y = 5;
    for (Representativeness.Category category : shown) {
      svg.append("<text x=\"0\" y=\"").append(y + 15).append("\" font-size=\"12\">").append(escape(category.name())).append("</text>");
      svg.append("<rect x=\"160\" y=\"").append(y).append("\" height=\"10\" width=\"").append(bar(category.proportionBefore()))
          .append("\" fill=\"#999\"/>");
      svg.append("<rect x=\"160\" y=\"").append(y + 11).append("\" height=\"10\" width=\"").append(bar(category.proportionAfter()))
          .append("\" fill=\"#1f5fa8\"/>");
      y += rowHeight;
    }
    return svg.append("</svg>\n").toString();
  }

  private static String bar(double proportion) {
    return String.format(Locale.ROOT, "%.1f", Math.max(0.5, proportion * 460));
  }

  private static String percent(double proportion) {
    return String.format(Locale.ROOT, "%.1f%%", proportion * 100);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
