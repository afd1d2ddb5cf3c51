package optout.warehouse.close;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.id.ProjectId;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.keys.KeyAccess;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The end of a project in the warehouse, what the portal's {@code close} job asks for: the project's
 * release keys are destroyed through the release custody (crypto-shredding: its pseudonyms and tokens can
 * never be produced or linked again), then every table of its namespace is dropped with its files
 * ({@code DROP TABLE ... PURGE}) and the namespace goes.
 *
 * <p>Keys first: should the runner die in between, what is left on disk is already unlinkable. Running it
 * again finishes the work and changes nothing that is done (a project whose keys are gone, or never were,
 * is reported so), so a close job that crashed is simply retried.
 */
public final class ProjectClose {

  private final SparkSession spark;
  private final KeyAccess keys;

  /** @param keys the release custody (project keys live there) */
  public ProjectClose(SparkSession spark, KeyAccess keys) {
    if (keys.duty() != KeyCustodies.Duty.RELEASE) {
      throw new IllegalArgumentException("Cannot close projects: their keys are in the release custody, not the " + keys.duty().lowerCaseName());
    }
    this.spark = spark;
    this.keys = keys;
  }

  /**
   * What closing did.
   *
   * @param keys {@code destroyed} now, {@code destroyed-before} (a retry), or {@code none} (the project never had keys)
   * @param keysDestroyedAt when the keys were destroyed, if they were
   * @param tablesDropped the tables dropped now, by name
   */
  public record Closed(String project, String keys, Optional<Instant> keysDestroyedAt, List<String> tablesDropped) {}

  /**
   * Closes a project.
   *
   * @throws IllegalArgumentException if the name is no project's (or the warehouse's own tokens)
   */
  public Closed close(String project) throws GeneralSecurityException {
    ProjectId id = ProjectId.of(project);
    if (KeyCustodies.WAREHOUSE_TOKENS.equals(project)) {
      throw new IllegalArgumentException("Cannot close " + project + ": it holds the warehouse's own tokens, not a project's");
    }
    KeyCustody custody = keys.custody();
    String state;
    Optional<Instant> destroyedAt = destroyed(custody, id);
    if (destroyedAt.isPresent()) {
      state = "destroyed-before";
    } else if (custody.keys().stream().anyMatch(k -> k.project().equals(Optional.of(id)))) {
      destroyedAt = custody.destroyProjectKeys(id).at();
      state = "destroyed";
    } else {
      state = "none";
    }
    String namespace = ExtractJob.namespace(project);
    List<String> dropped = new ArrayList<>();
    if (namespaceExists(namespace)) {
      for (Row table : spark.sql("show tables in " + namespace).collectAsList()) {
        String name = table.getString(table.fieldIndex("tableName"));
        spark.sql("drop table if exists " + namespace + "." + name + " purge");
        dropped.add(name);
      }
      spark.sql("drop namespace if exists " + namespace);
    }
    return new Closed(project, state, destroyedAt, List.copyOf(dropped));
  }

  private static Optional<Instant> destroyed(KeyCustody custody, ProjectId id) throws GeneralSecurityException {
    return custody.keys().stream().filter(k -> k.purpose() == KeyInfo.Purpose.DESTROYED_PROJECT && k.project().equals(Optional.of(id)))
        .findFirst().map(k -> k.at().orElse(Instant.EPOCH));
  }

  private boolean namespaceExists(String namespace) {
    int dot = namespace.indexOf('.');
    String catalog = namespace.substring(0, dot);
    String name = namespace.substring(dot + 1);
    return spark.sql("show namespaces in " + catalog).collectAsList().stream().anyMatch(r -> r.getString(0).equals(name));
  }
}
