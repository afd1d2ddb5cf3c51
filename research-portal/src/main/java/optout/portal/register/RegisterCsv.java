package optout.portal.register;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The register as CSV (RFC 4180, UTF-8, a header line, CRLF) and its CSV on the Web metadata (W3C CSVW,
 * {@code application/csvm+json}) describing every column, with {@code id} as the primary key. One line per project;
 * lists are joined with "; ". A cell that a spreadsheet would take for a formula (starting with =, +, -, @, a tab
 * or a carriage return) is prefixed with an apostrophe. Plain Java.
 */
public final class RegisterCsv {

  /** The columns: name, title (English), CSVW datatype, description. */
  record Column(String name, String title, String datatype, String description) {}

  static final List<Column> COLUMNS = List.of(
      new Column("id", "Project ID", "string", "The project's stable ID (application-<number>)"),
      new Column("title", "Title", "string", "The project's title"),
      new Column("organisation", "Organisation", "string", "The applying organisation"),
      new Column("lay_summary", "Lay summary", "string", "What the project studies, in plain words"),
      new Column("public_benefit", "Public benefit", "string", "Why the project is in the public interest"),
      new Column("purpose", "Purpose", "string", "The registry scope of secondary use whose opt-outs apply"),
      new Column("legal_basis", "Legal basis", "string", "The legal basis for the use"),
      new Column("tables_released", "Tables and columns released", "string", "table: column, column; table: ..."),
      new Column("cohort_size_band", "Cohort size band", "string", "Persons in the extract as a band (1-99, 100-999, ...), never a count"),
      new Column("status", "Status", "string", "approved, active (extract delivered) or closed"),
      new Column("approved_at", "Approved", "datetime", "When the project was approved (UTC)"),
      new Column("released_at", "Extract released", "datetime", "When the extract was delivered (UTC)"),
      new Column("closed_at", "Closed", "datetime", "When the project was closed (UTC)"),
      new Column("opt_outs_applied", "Opt-outs applied", "boolean", "Whether the persons who opted out of the purpose were left out"),
      new Column("exemption", "Exemption invoked", "string", "The legal exemption invoked instead of applying opt-outs, if any"),
      new Column("extract_id", "Extract ID", "string", "The delivered extract's ID"),
      new Column("manifest_sha256", "Manifest SHA-256", "string", "SHA-256 of the extract's manifest, signed by the warehouse"),
      new Column("registry_checkpoint_size", "Registry checkpoint", "integer", "The registry log size the opt-outs were taken at"),
      new Column("outputs_released", "Outputs released", "integer", "How many aggregate results were released"),
      new Column("output_sha256s", "Released outputs' SHA-256", "string", "number: SHA-256 of each released table"));

  private RegisterCsv() {}

  public static String csv(List<RegisterEntry> entries) {
    StringBuilder out = new StringBuilder();
    out.append(COLUMNS.stream().map(Column::name).collect(Collectors.joining(","))).append("\r\n");
    for (RegisterEntry entry : entries) {
      RegisterEntry.Extract extract = entry.extract();
      List<Object> cells = List.of(
          cell(entry.id()), cell(entry.title()), cell(entry.organisation()), cell(entry.laySummary()), cell(entry.publicBenefit()),
          cell(entry.purpose()), cell(entry.legalBasis()), cell(tables(entry.tables())), cell(entry.cohortSizeBand()), cell(entry.status()),
          cell(entry.approvedAt()), cell(entry.releasedAt()), cell(entry.closedAt()), cell(entry.optOutsApplied()), cell(entry.exemption()),
          cell(extract == null ? null : extract.extractId()), cell(extract == null ? null : extract.manifestSha256()),
          cell(extract == null ? null : extract.registryCheckpointSize()), cell(entry.outputs().size()),
          cell(entry.outputs().stream().map(o -> o.number() + ": " + o.sha256()).collect(Collectors.joining("; "))));
      out.append(cells.stream().map(String::valueOf).collect(Collectors.joining(","))).append("\r\n");
    }
    return out.toString();
  }

  /** The CSVW metadata of the CSV at {@code csvUrl}. */
  public static Map<String, Object> metadata(String csvUrl) {
    List<Map<String, Object>> columns = COLUMNS.stream().map(c -> Map.<String, Object>of(
        "name", c.name(), "titles", c.title(), "datatype", c.datatype(), "dc:description", c.description())).toList();
    return Map.of(
        "@context", List.of("http://www.w3.org/ns/csvw", Map.of("@language", "en")),
        "url", csvUrl,
        "dc:title", "Public register of approved uses of NHI research data",
        "dc:license", "Public register: free to reuse",
        "dialect", Map.of("header", true, "encoding", "utf-8", "lineTerminators", List.of("\r\n")),
        "tableSchema", Map.of("columns", columns, "primaryKey", "id", "aboutUrl", "#project-{id}"));
  }

  static String tables(Map<String, List<String>> tables) {
    return tables.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).collect(Collectors.joining("; "));
  }

  private static String cell(Object value) {
    if (value == null) {
      return "";
    }
    String text = value instanceof Instant instant ? instant.toString() : String.valueOf(value);
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}
