package optout.pseudonymizer.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import optout.pseudonymizer.id.ProjectId;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class ProjectRecordKeysTest {

  private static final ProjectId PROJECT = ProjectId.of("nhird-2026-0042");

  private static byte[] key(int first) {
    byte[] key = new byte[32];
    key[0] = (byte) first;
    key[31] = 7;
    return key;
  }

  private static ProjectRecordKeys recordKeys(byte[] key, ProjectId project) throws Exception {
    Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    return new ProjectRecordKeys(aes, project);
  }

  private static long bouncyCastle(byte[] key, byte[] tweak, long value) {
    FPEFF1Engine engine = new FPEFF1Engine();
    engine.init(true, new FPEParameters(new KeyParameter(key), 10, tweak));
    byte[] numerals = new byte[18];
    for (int i = 17; i >= 0; i--) {
      numerals[i] = (byte) (value % 10);
      value /= 10;
    }
    byte[] out = new byte[18];
    engine.processBlock(numerals, 0, 18, out, 0);
    long result = 0;
    for (byte numeral : out) {
      result = result * 10 + numeral;
    }
    return result;
  }

  @Test
  void isOneFollowedByFf1OverEighteenDigitsWithTheNamesTweak() throws Exception {
    ProjectRecordKeys keys = recordKeys(key(1), PROJECT);
    SplittableRandom random = new SplittableRandom(38);
    for (int i = 0; i < 500; i++) {
      long value = i < 3 ? new long[] {0, 1, ProjectRecordKeys.WAREHOUSE_LIMIT - 1}[i] : random.nextLong(ProjectRecordKeys.WAREHOUSE_LIMIT);
      for (String name : new String[] {"visit_id", "rx_id"}) {
        assertThat(keys.released(name, value))
            .isEqualTo(ProjectRecordKeys.RELEASED_FIRST + bouncyCastle(key(1), ProjectRecordKeys.tweak(PROJECT, name), value));
      }
    }
  }

  @Test
  void theSameRecordAlikeInAProjectUnrelatedAcrossProjectsAndNames() throws Exception {
    ProjectRecordKeys keys = recordKeys(key(1), PROJECT);
    long visit = keys.released("visit_id", 123_456_789L);
    assertThat(keys.released("visit_id", 123_456_789L)).isEqualTo(visit);
    assertThat(recordKeys(key(1), PROJECT).released("visit_id", 123_456_789L)).isEqualTo(visit);
    assertThat(keys.released("rx_id", 123_456_789L)).isNotEqualTo(visit);
    assertThat(recordKeys(key(2), PROJECT).released("visit_id", 123_456_789L)).isNotEqualTo(visit);
    assertThat(recordKeys(key(1), ProjectId.of("nhird-2026-0043")).released("visit_id", 123_456_789L)).isNotEqualTo(visit);
    assertThat(ProjectRecordKeys.tweak(PROJECT, "visit_id")).hasSize(12).startsWith('n', 'h', 'R', 'K');
  }

  @Test
  void distinctRecordsKeepDistinctKeysAboveEveryWarehouseKey() throws Exception {
    ProjectRecordKeys keys = recordKeys(key(3), PROJECT);
    Set<Long> released = new HashSet<>();
    for (long visit = 0; visit < 100_000; visit++) {
      long value = keys.released("visit_id", visit);
      assertThat(value).isBetween(ProjectRecordKeys.RELEASED_FIRST, 2 * ProjectRecordKeys.RELEASED_FIRST - 1);
      released.add(value);
    }
    assertThat(released).hasSize(100_000);
  }

  @Test
  void refusesKeysOutsideTheDomainAndNamesThatAreNotColumns() throws Exception {
    ProjectRecordKeys keys = recordKeys(key(1), PROJECT);
    for (long bad : new long[] {-1, Long.MIN_VALUE, ProjectRecordKeys.WAREHOUSE_LIMIT, Long.MAX_VALUE}) {
      assertThatThrownBy(() -> keys.released("visit_id", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot release record key visit_id: a warehouse record key must be 0 to 10^18 - 1");
    }
    for (String bad : new String[] {null, "", "Visit_id", "visit id", "1visit", "x".repeat(64)}) {
      assertThatThrownBy(() -> keys.released(bad, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot release record key: its name must be a column name (a-z, 0-9, _)");
    }
  }
}
