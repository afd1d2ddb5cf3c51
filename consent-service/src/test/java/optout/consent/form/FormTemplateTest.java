package optout.consent.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FormTemplateTest {

  @Test
  void publishedTemplatesLoadWithTheHashOfTheirExactBytes() throws Exception {
    assertThat(FormTemplate.published()).extracting(FormTemplate::id).containsExactly("opt-out", "withdrawal", "receipt");
    for (FormTemplate template : FormTemplate.published()) {
      byte[] bytes;
      try (InputStream in = FormTemplate.class.getResourceAsStream("templates/" + template.id() + "-v" + template.version() + ".txt")) {
        bytes = in.readAllBytes();
      }
      assertThat(template.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      assertThat(template.bytes()).isEqualTo(bytes);
      assertThat(template.version()).isEqualTo(1);
    }
  }

  @Test
  void theManifestIsWhatSha256sumChecks() throws IOException {
    String manifest;
    try (InputStream in = FormTemplate.class.getResourceAsStream("templates/published.sha256")) {
      manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(manifest).contains(FormTemplate.load("opt-out", 1).sha256() + "  opt-out-v1.txt");
  }

  @Test
  void aPublishedVersionWhoseTextChangedIsRefused() {
    FormTemplate published = FormTemplate.load("opt-out", 1);
    byte[] edited = new String(published.bytes(), StandardCharsets.UTF_8).replace("學術研究\n", "學術研究（含國外）\n")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(FormTemplate.published("opt-out", 1, published.bytes(), published.sha256()).sha256()).isEqualTo(published.sha256());
    assertThatThrownBy(() -> FormTemplate.published("opt-out", 1, edited, published.sha256()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot use template opt-out-v1.txt: its SHA-256")
        .hasMessageContaining("a changed text needs a new version");
    assertThatThrownBy(() -> FormTemplate.published("opt-out", 2, published.bytes(), published.sha256()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("it says it is opt-out version 1");
  }

  @Test
  void aTemplateOffersTheRegistryScopesInOrder() {
    FormTemplate optOut = FormTemplate.latest("opt-out");

    assertThat(optOut.version()).isEqualTo(1);
    assertThat(optOut.scopes()).containsExactly("academic-research", "government-statistics", "cross-agency-linkage", "commercial-use",
        "all-secondary-use");
    assertThat(optOut.coversAll()).contains("all-secondary-use");
    assertThat(optOut.scope("academic-research")).isEqualTo(new Bilingual("學術研究", "Academic research"));
    assertThat(optOut.section("declaration.common")).hasSize(3);
  }

  @Test
  void refusesAnUnknownTemplateOrVersion() {
    assertThatThrownBy(() -> FormTemplate.load("opt-out", 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find template opt-out version 9: published versions of opt-out are [1]");
    assertThatThrownBy(() -> FormTemplate.load("consent", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("published versions of consent are []");
    assertThatThrownBy(() -> FormTemplate.load("../templates/opt-out", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case words");
    assertThatThrownBy(() -> FormTemplate.latest("consent"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot find template consent: no version of it is published");
  }

  @Test
  void refusesMalformedTemplates() throws IOException {
    String good;
    try (InputStream in = FormTemplate.class.getResourceAsStream("templates/opt-out-v1.txt")) {
      good = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(FormTemplate.parse(good.getBytes(StandardCharsets.UTF_8)).id()).isEqualTo("opt-out");

    assertRefused(good.replace("\n", "\r\n"), "carriage return");
    assertRefused("\uFEFF" + good, "byte-order mark");
    assertRefused(good.replace("Academic research\n", ""), "line");
    assertRefused(good.replace("第 {page} 頁", "第 {page} 頁 {name}"), "unknown placeholder {name}");
    assertRefused(good.replace("[notice.privacy]", "[notice.other]"), "sections missing: [notice.privacy]");
    assertRefused(good.replace("version: 1", "version: one"), "the version must be a positive whole number");
    assertRefused(good.replace("[title]\n全民健康保險資料次級利用停止申請書", "[title]\nNHI data"), "has no Chinese character");
    assertRefused(good.replace("covers-all: all-secondary-use", "covers-all: everything"), "covers-all names everything");
    assertThatThrownBy(() -> FormTemplate.parse(new byte[] {(byte) 0xC3, (byte) 0x28}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid UTF-8");
  }

  private static void assertRefused(String template, String reason) {
    assertThatThrownBy(() -> FormTemplate.parse(template.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Cannot read").hasMessageContaining(reason);
  }
}
