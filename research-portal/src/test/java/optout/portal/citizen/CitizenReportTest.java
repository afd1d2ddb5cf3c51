package optout.portal.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import optout.platform.pdf.FormFonts;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** The report's pages (before the seal) with text from researchers that the fonts cannot all draw. */
class CitizenReportTest {

  @Test
  void charactersNoFontDrawsAreMarkedAndTheReportIsStillMade() throws Exception {
    // a title with an emoji and a line break, an institution with a character outside both fonts (U+1F9EC, DNA)
    DataUses.Use use = new DataUses.Use("EX-20261207-abc", "application-1", "Sleep study 😀\nphase 2", "Lab \uD83E\uDDEC of Taipei",
        "academic-research", "Personal Data Protection Act art. 6", LocalDate.of(2026, 12, 1));
    CitizenController.Overview overview = new CitizenController.Overview(List.of(), List.of(), List.of(), 0, List.of(),
        "http://127.0.0.1:8082/online/", new CitizenController.SubscriptionView(false, false, false));

    CitizenReport.Rendered rendered = new CitizenReport(FormFonts.debianDefaults())
        .render(overview, new CitizenController.UsesView(true, List.of(use)), Instant.parse("2026-12-07T05:00:00Z"));

    String text;
    try (var document = Loader.loadPDF(rendered.pdf())) {
      text = new PDFTextStripper().getText(document);
    }
    assertThat(text).contains("EX-20261207-abc", "Sleep study", "phase 2", "of Taipei", "Where my data was used")
        .doesNotContain("😀", "\uD83E\uDDEC");
    assertThat(text.replaceAll("\\s+", " ")).containsPattern("Sleep study [\uFFFD?] phase 2").containsPattern("Lab [\uFFFD?] of Taipei");
  }
}
