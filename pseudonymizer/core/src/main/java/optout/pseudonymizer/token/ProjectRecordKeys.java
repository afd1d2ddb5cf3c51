package optout.pseudonymizer.token;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.id.ProjectId;

/**
 * A project's record keys: the warehouse's visit, admission and prescription numbers as one project
 * receives them. Each is FF1 over 18 decimal digits under the project's record-key key, with a tweak
 * per key name ({@code visit_id}, {@code admission_id}, ...), written after a leading 1: a released
 * record key is a 19-digit number in [10^18, 2 x 10^18), a warehouse record key is below 10^18, so the
 * two never meet. FF1 is a permutation, so two records never share a released key; the same record
 * gets the same key in every table of the project (orders still join their visits) and an unrelated one
 * in any other project.
 *
 * <p>Obtain it from {@code KeyCustody}; not thread-safe (it holds a {@link Cipher}), so take one per
 * thread. It offers no way back: nobody needs a warehouse record key from a released one.
 */
public final class ProjectRecordKeys {

  /** Digits of the FF1 domain: warehouse record keys are below 10^18. */
  public static final int DIGITS = 18;
  /** One past the largest warehouse record key that can be released. */
  public static final long WAREHOUSE_LIMIT = 1_000_000_000_000_000_000L;
  /** The first released record key; released keys lie in [10^18, 2 x 10^18). */
  public static final long RELEASED_FIRST = WAREHOUSE_LIMIT;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final Cipher aes;
  private final ProjectId project;
  private final Map<String, Family> families = new HashMap<>();

  /** @param aesEncryptEcb AES/ECB/NoPadding initialised to encrypt with the project's record-key key */
  public ProjectRecordKeys(Cipher aesEncryptEcb, ProjectId project) {
    this.aes = aesEncryptEcb;
    this.project = project;
  }

  /**
   * The FF1 tweak of one key name in one project: "nhRK" and 8 bytes of SHA-256 of the project and the
   * name (12 bytes, one AES block a round). Visits and prescriptions numbered alike stay unrelated.
   */
  public static byte[] tweak(ProjectId project, String name) {
    return Ff1Radix10.tweak("nhRK", "nhi-optout record key " + project.value() + " " + name);
  }

  public ProjectId project() {
    return project;
  }

  /**
   * The released value of a warehouse record key.
   *
   * @param name the key's column name, the same in its table and in the tables that refer to it
   * @throws IllegalArgumentException if the name is not a column name, or the key is negative or has
   *     more than 18 digits
   */
  public long released(String name, long warehouseKey) {
    if (warehouseKey < 0 || warehouseKey >= WAREHOUSE_LIMIT) {
      throw new IllegalArgumentException("Cannot release record key " + name + ": a warehouse record key must be 0 to 10^18 - 1");
    }
    Family family = families.get(name);
    if (family == null) {
      family = new Family(name);
      families.put(name, family);
    }
    return family.released(warehouseKey);
  }

  /** One key name's permutation; it remembers its last answer, because orders come in runs of one visit. */
  private final class Family {
    private final Ff1Radix10 ff1;
    private long lastIn = -1;
    private long lastOut;

    Family(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("Cannot release record key: its name must be a column name (a-z, 0-9, _)");
      }
      try {
        this.ff1 = new Ff1Radix10(aes, DIGITS, tweak(project, name));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Cannot set up FF1 for record key " + name + ": " + e.getMessage(), e);
      }
    }

    long released(long warehouseKey) {
      if (warehouseKey != lastIn) {
        lastOut = RELEASED_FIRST + ff1.encrypt(warehouseKey);
        lastIn = warehouseKey;
      }
      return lastOut;
    }
  }

  @Override
  public String toString() {
    return "ProjectRecordKeys[" + project + "]";
  }
}
