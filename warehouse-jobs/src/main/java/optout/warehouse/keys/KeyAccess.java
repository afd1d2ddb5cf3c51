package optout.warehouse.keys;

import java.io.IOException;
import java.io.Serializable;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectRecordKeys;
import optout.pseudonymizer.token.ProjectTokenizer;

/**
 * How Spark's executors reach the pseudonymisation keys: the pseudonymizer's own custody variables
 * (keystore or PKCS#11 configuration, passphrase or passphrase file), shipped to the executors with the
 * job. Each executor JVM opens the custody once and gives every task thread its own primitives (they
 * are not thread-safe). Keys never leave the custody; on a cluster, prefer a passphrase file present
 * on the workers ({@value Passphrase#FILE_VARIABLE}) to a passphrase in the job.
 */
public final class KeyAccess implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final String[] VARIABLES = {
    KeyCustodies.KEYSTORE_VARIABLE, KeyCustodies.PKCS11_CONFIG_VARIABLE, Passphrase.VARIABLE, Passphrase.FILE_VARIABLE
  };
  private static final Map<Map<String, String>, KeyCustody> OPENED = new ConcurrentHashMap<>();

  private final HashMap<String, String> variables;
  private transient ThreadLocal<Map<String, Object>> primitives;

  private KeyAccess(Map<String, String> variables) {
    this.variables = new HashMap<>(variables);
  }

  /** The custody named by this process's environment (as the command line and the services read it). */
  public static KeyAccess fromEnvironment() {
    return of(System.getenv());
  }

  /** The custody named by these variables; only the custody's own are kept. */
  public static KeyAccess of(Map<String, String> environment) {
    Map<String, String> kept = new HashMap<>();
    for (String name : VARIABLES) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        kept.put(name, value);
      }
    }
    if (!kept.containsKey(KeyCustodies.KEYSTORE_VARIABLE) && !kept.containsKey(KeyCustodies.PKCS11_CONFIG_VARIABLE)) {
      throw new IllegalStateException("Cannot reach the pseudonymisation keys: set " + KeyCustodies.KEYSTORE_VARIABLE + " (or "
          + KeyCustodies.PKCS11_CONFIG_VARIABLE + ") and " + Passphrase.VARIABLE + " or " + Passphrase.FILE_VARIABLE);
    }
    return new KeyAccess(kept);
  }

  /** The custody, opened once per JVM. */
  public KeyCustody custody() {
    return OPENED.computeIfAbsent(Map.copyOf(variables), vars -> {
      try {
        return KeyCustodies.openFromEnvironment(vars);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("Cannot open the pseudonymisation keys: " + e.getMessage(), e);
      }
    });
  }

  /** Layer 1 with the newest warehouse key, for this thread. */
  public WarehousePseudonymizer warehouse() {
    return (WarehousePseudonymizer) primitive("warehouse", () -> custody().warehousePseudonymizer());
  }

  /** Layer 2 of a project, for this thread. */
  public ProjectPseudonymizer project(String project) {
    return (ProjectPseudonymizer) projectPrimitive(project, "pseudonym", () -> custody().projectPseudonymizer(ProjectId.of(project)));
  }

  /** A project's tokenizer, for this thread. */
  public ProjectTokenizer tokenizer(String project) {
    return (ProjectTokenizer) projectPrimitive(project, "tokens", () -> custody().projectTokenizer(ProjectId.of(project)));
  }

  /**
   * A project token of a warehouse token, remembered per thread: a table has far fewer hospitals than rows,
   * so most rows need no MAC at all.
   */
  @SuppressWarnings("unchecked")
  public long projectToken(String project, ProjectTokenizer.Kind kind, long warehouseToken) {
    Map<Long, Long> memo = (Map<Long, Long>) projectPrimitive(project, "token-memo:" + kind, () -> new java.util.LinkedHashMap<Long, Long>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
        return size() > 100_000;
      }
    });
    Long token = memo.get(warehouseToken);
    if (token == null) {
      token = tokenizer(project).token(kind, Long.toString(warehouseToken));
      memo.put(warehouseToken, token);
    }
    return token;
  }

  /** A project's record keys, for this thread. */
  public ProjectRecordKeys recordKeys(String project) {
    return (ProjectRecordKeys) projectPrimitive(project, "record-keys", () -> custody().projectRecordKeys(ProjectId.of(project)));
  }

  /**
   * A project's primitives, kept per thread for the JVM's life: Spark deserialises a new KeyAccess for every
   * task, and each derivation unwraps a key (PBKDF2 in a BCFKS keystore), which per task cost more than the
   * rows' FF1 (a profile of the benchmark's extract: 9% of its samples). Looked up first in this instance,
   * by the project alone, because the functions call this once a row.
   */
  private static final ThreadLocal<Map<List<Object>, Object>> PROJECT_PRIMITIVES = ThreadLocal.withInitial(HashMap::new);

  private Object projectPrimitive(String project, String use, Opening opening) {
    ThreadLocal<Map<String, Object>> threads = primitives; // the lock only once a task, not once a row
    Map<String, Object> mine = (threads != null ? threads : threads()).get();
    String name = use + ":" + project;
    Object primitive = mine.get(name);
    if (primitive == null) {
      List<Object> id = List.of(Map.copyOf(variables), project, use);
      primitive = PROJECT_PRIMITIVES.get().get(id);
      if (primitive == null) {
        try {
          primitive = opening.open();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Cannot use the " + use + " key of project " + project + ": " + e.getMessage(), e);
        }
        PROJECT_PRIMITIVES.get().put(id, primitive);
      }
      mine.put(name, primitive);
    }
    return primitive;
  }

  private interface Opening {
    Object open() throws GeneralSecurityException;
  }

  private synchronized ThreadLocal<Map<String, Object>> threads() {
    if (primitives == null) {
      primitives = ThreadLocal.withInitial(HashMap::new);
    }
    return primitives;
  }

  private Object primitive(String name, Opening opening) {
    Map<String, Object> mine = threads().get();
    Object primitive = mine.get(name);
    if (primitive == null) {
      try {
        primitive = opening.open();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Cannot use the key for " + name + ": " + e.getMessage(), e);
      }
      mine.put(name, primitive);
    }
    return primitive;
  }

  /** Never the variables: one may be a passphrase. */
  @Override
  public String toString() {
    return "KeyAccess[" + (variables.containsKey(KeyCustodies.PKCS11_CONFIG_VARIABLE) ? "PKCS#11" : "keystore") + "]";
  }
}
