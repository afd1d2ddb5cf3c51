package optout.registry.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryLogKeysTest {

  private static final String ORIGIN = "localhost/nhi-optout-registry";

  @TempDir Path directory;

  @Test
  void aFilerPseudonymIsKeyedStableAndNotTheAccount() throws Exception {
    RegistryLogKeys keys = RegistryLogKeys.load(directory.resolve("a.key"), ORIGIN, true);
    String clerk = keys.pseudonym("6f1c2a1e-8d3b-4b57-9a43-0c3f1e2d4b5a");
    assertThat(clerk).matches("[0-9a-f]{32}");
    assertThat(RegistryLogKeys.load(directory.resolve("a.key"), ORIGIN, false).pseudonym("6f1c2a1e-8d3b-4b57-9a43-0c3f1e2d4b5a"))
        .as("the same key, the same pseudonym").isEqualTo(clerk);
    assertThat(keys.pseudonym("6f1c2a1e-8d3b-4b57-9a43-0c3f1e2d4b5b")).isNotEqualTo(clerk);
    assertThat(RegistryLogKeys.load(directory.resolve("b.key"), ORIGIN, true).pseudonym("6f1c2a1e-8d3b-4b57-9a43-0c3f1e2d4b5a"))
        .as("another registry key, another pseudonym").isNotEqualTo(clerk);
    // not the row MAC of the same bytes: the two keys are derived for their own purposes
    assertThat(java.util.HexFormat.of().formatHex(keys.mac("6f1c2a1e-8d3b-4b57-9a43-0c3f1e2d4b5a".getBytes(StandardCharsets.UTF_8))))
        .doesNotStartWith(clerk);
    assertThatThrownBy(() -> keys.pseudonym("")).hasMessage("Cannot make a filer pseudonym: the account is missing");
  }
}
