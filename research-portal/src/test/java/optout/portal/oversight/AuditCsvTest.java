package optout.portal.oversight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CSV export and the query's filter, plain Java. */
class AuditCsvTest {

  private static final AuditEvent FILING = new AuditEvent(Instant.parse("2026-12-06T01:00:00Z"), "optout-registry", "filing", "consent-service",
      "leaf 3", "opt-out-filed academic-research via counter");

  @Test
  void cellsAreQuotedAndFormulasDisarmed() {
    String csv = AuditCsv.of(List.of(FILING, new AuditEvent(null, "research-portal", "application", "=HYPERLINK(\"x\")", null, "a, \"b\"\nc"),
        new AuditEvent(null, "research-portal", "application", "+1", "-2", "@SUM(A1)")));
    assertThat(csv).isEqualTo("at,service,kind,actor,reference,summary\r\n"
        + "2026-12-06T01:00:00Z,optout-registry,filing,consent-service,leaf 3,opt-out-filed academic-research via counter\r\n"
        + ",research-portal,application,\"'=HYPERLINK(\"\"x\"\")\",,\"a, \"\"b\"\"\nc\"\r\n"
        + ",research-portal,application,'+1,'-2,'@SUM(A1)\r\n");
    assertThat(AuditCsv.cell("\tx")).isEqualTo("'\tx");
    assertThat(AuditCsv.cell("")).isEmpty();
  }

  @Test
  void theQueryKeepsTheWindowTheServicesTheKindsAndEveryWord() {
    Instant at = FILING.at();
    assertThat(new AuditQuery(at, at.plusSeconds(1), Set.of(), Set.of(), null, 10).matches(FILING)).isTrue();
    assertThat(new AuditQuery(at.plusSeconds(1), null, Set.of(), Set.of(), null, 10).matches(FILING)).isFalse();
    assertThat(new AuditQuery(null, at, Set.of(), Set.of(), null, 10).matches(FILING)).as("'to' is exclusive").isFalse();
    assertThat(new AuditQuery(null, null, Set.of("research-portal"), Set.of(), null, 10).matches(FILING)).isFalse();
    assertThat(new AuditQuery(null, null, Set.of(), Set.of("extract"), null, 10).matches(FILING)).isFalse();
    assertThat(new AuditQuery(null, null, Set.of(), Set.of(), "  COUNTER  leaf ", 10).matches(FILING)).isTrue();
    assertThat(new AuditQuery(null, null, Set.of(), Set.of(), "counter online", 10).matches(FILING)).isFalse();
    AuditEvent timeless = new AuditEvent(null, "optout-registry", "scope-rules", null, "leaf 0", "scope rules");
    assertThat(new AuditQuery(null, null, Set.of(), Set.of(), null, 10).matches(timeless)).isTrue();
    assertThat(new AuditQuery(at, null, Set.of(), Set.of(), null, 10).matches(timeless)).as("no time, no match in a window").isFalse();
    assertThatThrownBy(() -> new AuditQuery(at, at, Set.of(), Set.of(), null, 10)).hasMessage("Cannot search: 'from' must lie before 'to'");
    assertThatThrownBy(() -> new AuditQuery(null, null, Set.of(), Set.of(), null, 0)).hasMessage("Cannot search: the limit must be at least 1");
  }

  @Test
  void aLeafBecomesAnEventWithoutItsPersonCommitment() {
    byte[] leaf = ("nhi-optout-registry-event/2\nid 1\ntype opt-out-filed\nperson " + "ab".repeat(32)
        + "\nscopes academic-research,commercial\nchannel online\nproxy none\ndocument x\neffective 2026-12-01T00:00:00Z\n"
        + "recorded 2026-12-01T00:00:01Z\nfiled-by consent-service\nfiler citizen " + "cd".repeat(16) + "\n").getBytes();
    AuditEvent event = RegistryAudit.leafEvent(12, leaf);
    assertThat(event).isEqualTo(new AuditEvent(Instant.parse("2026-12-01T00:00:01Z"), "optout-registry", "filing", "consent-service", "leaf 12",
        "opt-out-filed academic-research,commercial via online, effective 2026-12-01T00:00:00Z"));
    assertThat(event.toString()).doesNotContain("abab").doesNotContain("cdcd");
    byte[] decision = ("nhi-optout-registry-exemption-decision/1\nexemption public-health-law\ngrantee cdc\naction grant\n"
        + "decided 2026-11-30T00:00:00Z\n").getBytes();
    assertThat(RegistryAudit.leafEvent(0, decision).summary())
        .isEqualTo("exemption public-health-law grant to cdc");
  }
}
