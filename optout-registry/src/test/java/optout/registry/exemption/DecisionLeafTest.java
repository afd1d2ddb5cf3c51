package optout.registry.exemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionLeafTest {

  private static final String APPROVAL = DecisionLeaf.approvalHash("Ministry of Health and Welfare letter 1130001");
  private static final DecisionLeaf GRANT = new DecisionLeaf("communicable-disease-control", "optout-portal", true, APPROVAL,
      "0123456789abcdef0123456789abcdef", Instant.parse("2026-12-06T03:04:05.123456Z"));
  private static final String TEXT = """
      nhi-optout-registry-exemption-decision/1
      exemption communicable-disease-control
      grantee optout-portal
      action grant
      approval %s
      decided-by auditor 0123456789abcdef0123456789abcdef
      decided 2026-12-06T03:04:05.123456Z
      """.formatted(APPROVAL);

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void encodesByteForByteAndParsesBack() {
    assertThat(APPROVAL).isEqualTo("c41f58735153f2fb9b1cba66d6c5214a8c1c3d4f68aca527ae260a3765dbc952");
    assertThat(new String(GRANT.encode(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    assertThat(DecisionLeaf.parse(bytes(TEXT))).isEqualTo(GRANT);
    String revoke = TEXT.replace("action grant", "action revoke");
    assertThat(DecisionLeaf.parse(bytes(revoke)).grant()).isFalse();
    assertThat(DecisionLeaf.parse(bytes(revoke)).encode()).isEqualTo(bytes(revoke));
  }

  @Test
  void onlyTheCanonicalTextParses() {
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT.strip()))).hasMessageContaining("each ending in a newline");
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT + "\n"))).hasMessageContaining("each ending in a newline");
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT.replace("action grant", "action suspend"))))
        .hasMessage("Cannot read an exemption decision: the action must be grant or revoke");
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT.replace("grantee optout-portal\naction grant", "action grant\ngrantee optout-portal"))))
        .hasMessage("Cannot read an exemption decision: line 3 must start with \"grantee \"");
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT.replace("decided-by auditor", "decided-by clerk"))))
        .hasMessage("Cannot read an exemption decision: decided-by must be \"auditor <pseudonym>\"");
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT.replace("2026-12-06T03", "2026-12-06 03"))))
        .hasMessage("Cannot read an exemption decision: the time is not an ISO-8601 UTC instant");
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT.replace(".123456Z", ".1234560Z"))))
        .hasMessage("Cannot read an exemption decision: the text is not canonical");
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT.replace("approval " + APPROVAL, "approval " + APPROVAL.toUpperCase()))))
        .hasMessage("Cannot log an exemption decision: the approval's hash must be 64 lower-case hex digits");
    assertThatThrownBy(() -> DecisionLeaf.parse(bytes(TEXT.replace("grantee optout-portal", "grantee Optout Portal"))))
        .hasMessage("Cannot log an exemption decision: the grantee must be a service's client ID");
  }
}
