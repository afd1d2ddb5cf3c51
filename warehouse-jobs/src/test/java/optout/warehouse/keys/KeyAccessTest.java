package optout.warehouse.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustodies.Duty;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.ProjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Project keys kept in memory for speed live for one job: a project destroyed since cannot be used from memory by the next. */
class KeyAccessTest {

  @TempDir Path directory;

  @Test
  void aProjectDestroyedBetweenJobsCannotBeUsedByTheNextJobOfTheSameProcess() throws Exception {
    Path keystore = directory.resolve("release.bcfks");
    ProjectId project = ProjectId.of("shredded-project");
    try (KeyCustody release = KeyCustodies.createBcfks(keystore, Passphrase.of("release passphrase".toCharArray()))) {
      release.createProjectKeys(project);
    }
    KeyAccess first = KeyAccess.of(Duty.RELEASE, Map.of(Duty.RELEASE.keystoreVariable(), keystore.toString(),
        Duty.RELEASE.passphraseVariable(), "release passphrase"));
    long pseudonym = first.project(project.value()).pseudonym(12_345_678_901L);
    assertThat(first.recordKeys(project.value()).released("visit_id", 42L)).isPositive();

    first.custody().destroyProjectKeys(project); // project end, in this same process

    KeyAccess next = first.forNewJob();
    assertThatThrownBy(() -> next.project(project.value())).hasMessageContaining("destroyed");
    assertThatThrownBy(() -> next.recordKeys(project.value())).hasMessageContaining("destroyed");
    assertThatThrownBy(() -> next.tokenizer(project.value())).hasMessageContaining("destroyed");
    assertThat(pseudonym).isPositive();
  }
}
