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
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectRecordKeys;
import optout.pseudonymizer.token.ProjectTokenizer;

/**
 * How Spark's executors reach one duty's keys: the warehouse custody for ingest (layer 1 and the
 * warehouse's tokens), the release custody for extracts and propagation (project keys), each named by
 * the pseudonymizer's own variables for that duty ({@code OPTOUT_<DUTY>_KEYSTORE} or
 * {@code _PKCS11_CONFIG}, its passphrase or passphrase file), shipped to the executors with the job. Each
 * executor JVM opens the custody once and gives every task thread its own primitives (they are not
 * thread-safe). Keys never leave the custody, and a custody answers only for its duty; on a cluster,
 * prefer a passphrase file present on the workers to a passphrase in the job.
 */
public final class KeyAccess implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final Map<Map<String, String>, KeyCustody> OPENED = new ConcurrentHashMap<>();

  private final KeyCustodies.Duty duty;
  private final HashMap<String, String> variables;
  /** Which job this access serves: project keys are kept per executor thread for one job, no longer. */
  private final String job;
  private transient ThreadLocal<Map<String, Object>> primitives;

  private KeyAccess(KeyCustodies.Duty duty, Map<String, String> variables, String job) {
    this.duty = duty;
    this.variables = new HashMap<>(variables);
    this.job = job;
  }

  /**
   * The same custody for a new job. Project keys are kept per executor thread only for the job they were
   * opened for, so a long-lived process (the warehouse runner, its executors) takes a fresh access per job
   * and a project whose keys were destroyed in between cannot be used from memory.
   */
  public KeyAccess forNewJob() {
    return new KeyAccess(duty, variables, java.util.UUID.randomUUID().toString());
  }

  /** One duty's custody, named by these variables; only that duty's own are kept. */
  public static KeyAccess of(KeyCustodies.Duty duty, Map<String, String> environment) {
    Map<String, String> kept = new HashMap<>();
    for (String name : duty.variables()) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        kept.put(name, value);
      }
    }
    if (!kept.containsKey(duty.keystoreVariable()) && !kept.containsKey(duty.pkcs11ConfigVariable())) {
      throw new IllegalStateException("Cannot reach the " + duty.lowerCaseName() + " keys: set " + duty.keystoreVariable() + " (or "
          + duty.pkcs11ConfigVariable() + ") and " + duty.passphraseVariable() + " or " + duty.passphraseFileVariable());
    }
    return new KeyAccess(duty, kept, java.util.UUID.randomUUID().toString());
  }

  public KeyCustodies.Duty duty() {
    return duty;
  }

  /** The custody, opened once per JVM; one that holds another duty's keys is refused. */
  public KeyCustody custody() {
    return OPENED.computeIfAbsent(Map.copyOf(variables), vars -> {
      try {
        return KeyCustodies.openForDuty(duty, vars);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("Cannot open the " + duty.lowerCaseName() + " keys: " + e.getMessage(), e);
      }
    });
  }

  /** Layer 1 with the newest warehouse key, for this thread. */
  public WarehousePseudonymizer warehouse() {
    return (WarehousePseudonymizer) primitive("warehouse", () -> custody().warehousePseudonymizer());
  }

  /** Layer 1 with the warehouse key of this version, for this thread (re-keying reverses with the old one). */
  public WarehousePseudonymizer warehouse(int version) {
    return (WarehousePseudonymizer) primitive("warehouse:v" + version, () -> custody().warehousePseudonymizer(version));
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
   * A project's primitives, kept per thread for one job (see {@link #forNewJob}): Spark deserialises a new
   * KeyAccess for every task, and each derivation unwraps a key (PBKDF2 in a BCFKS keystore), which per task
   * cost more than the rows' FF1 (a profile of the benchmark's extract: 9% of its samples). Looked up first
   * in this instance, by the project alone, because the functions call this once a row. A thread keeps only
   * its current job's, so nothing outlives the job that opened it.
   */
  private static final ThreadLocal<JobPrimitives> PROJECT_PRIMITIVES = ThreadLocal.withInitial(JobPrimitives::new);

  private static final class JobPrimitives {
    String job = "";
    final Map<List<Object>, Object> primitives = new HashMap<>();

    Map<List<Object>, Object> of(String current) {
      if (!job.equals(current)) {
        primitives.clear();
        job = current;
      }
      return primitives;
    }
  }

  private Object projectPrimitive(String project, String use, Opening opening) {
    ThreadLocal<Map<String, Object>> threads = primitives; // the lock only once a task, not once a row
    Map<String, Object> mine = (threads != null ? threads : threads()).get();
    String name = use + ":" + project;
    Object primitive = mine.get(name);
    if (primitive == null) {
      List<Object> id = List.of(Map.copyOf(variables), project, use);
      Map<List<Object>, Object> kept = PROJECT_PRIMITIVES.get().of(job);
      primitive = kept.get(id);
      if (primitive == null) {
        try {
          primitive = opening.open();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("Cannot use the " + use + " key of project " + project + ": " + e.getMessage(), e);
        }
        kept.put(id, primitive);
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
    return "KeyAccess[" + duty.lowerCaseName() + ", " + (variables.containsKey(duty.pkcs11ConfigVariable()) ? "PKCS#11" : "keystore") + "]";
  }
}
