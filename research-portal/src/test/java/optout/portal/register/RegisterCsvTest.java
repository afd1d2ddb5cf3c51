package optout.portal.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegisterCsvTest {

  private static RegisterEntry entry(String title, String summary) {
    return new RegisterEntry("application-7", 7, title, "NTU Hospital", summary, "Fewer admissions.", "academic-research", "PDPA art. 6",
        Map.of("enrollment", List.of("person", "sex")), "100-999", Instant.parse("2026-12-01T02:00:00Z"), null, null, "approved", true, null,
        null, List.of(new RegisterEntry.Output(1, "By county", "small-cell", Instant.parse("2026-12-03T00:00:00Z"), "ab".repeat(32))));
  }

  @Test
  void oneLinePerProjectUnderAHeaderThatNamesEveryColumnOfTheMetadata() {
    String csv = RegisterCsv.csv(List.of(entry("Diabetes, 2022", "Plain")));
    String[] lines = csv.split("\r\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0].split(",")).containsExactlyElementsOf(RegisterCsv.COLUMNS.stream().map(RegisterCsv.Column::name).toList());
    assertThat(lines[1]).startsWith("application-7,\"Diabetes, 2022\",NTU Hospital,Plain,Fewer admissions.,academic-research,PDPA art. 6,"
        + "\"enrollment: person, sex\",100-999,approved,2026-12-01T02:00:00Z,,,true,,,,,1,1: " + "ab".repeat(32));
  }

  @Test
  void quotesAndFormulasAreMadeHarmless() {
    String csv = RegisterCsv.csv(List.of(entry("=HYPERLINK(\"http://x\")", "line one\nline \"two\"")));
    assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://x\"\")\",").contains("\"line one\nline \"\"two\"\"\"");
  }

  @Test
  void theMetadataIsCsvwWithThePrimaryKey() {
    Map<String, Object> metadata = RegisterCsv.metadata("register.csv");
    assertThat(metadata.get("url")).isEqualTo("register.csv");
    assertThat(((List<?>) metadata.get("@context")).get(0)).isEqualTo("http://www.w3.org/ns/csvw");
    @SuppressWarnings("unchecked")
    Map<String, Object> schema = (Map<String, Object>) metadata.get("tableSchema");
    assertThat(schema.get("primaryKey")).isEqualTo("id");
    assertThat((List<?>) schema.get("columns")).hasSize(RegisterCsv.COLUMNS.size());
  }
}
