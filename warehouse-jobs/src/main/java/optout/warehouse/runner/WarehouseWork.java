package optout.warehouse.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.id.ProjectId;
import optout.warehouse.extract.ExclusionInput;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.extract.ExtractRelease;
import optout.signing.DetachedSigner;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.propagate.Propagation;
import optout.warehouse.report.Representativeness;
import optout.warehouse.report.RepresentativenessReport;
import optout.warehouse.spark.WarehouseSession;
import optout.warehouse.spec.ExtractSpec;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark side of the runner: the three kinds of job on the warehouse, each with the release custody
 * (layer 2 and project tokens), the only keys extract and propagation may hold.
 * <ul>
 *   <li><b>preview</b>: the spec's cohort against the purpose's latest verified exclusion snapshot, counted
 *       and reported ({@link PreviewFigures}, {@link Representativeness}); no project key is used and nothing
 *       is written;
 *   <li><b>extract</b>: the project's release keys made if the project has none yet, then one
 *       {@link ExtractRelease} under an extract ID fixed by the job, so a second attempt replaces the first's;
 *   <li><b>propagation</b>: {@link Propagation} of the purpose's latest snapshot into the project's tables.
 *   <li><b>close</b>: {@link optout.warehouse.close.ProjectClose}: the project's release keys destroyed, its tables dropped.
 * </ul>
 */
public final class WarehouseWork {

  /** The representativeness of a preview hides what the preview's counts hide: 1 to 10. */
  static final Representativeness PREVIEW_REPORT = new Representativeness(PreviewFigures.SUPPRESSED_UP_TO + 1, 0.1);

  private final SparkSession spark;
  private final KeyAccess keys;
  private final WarehouseSession.Settings settings;
  private final DetachedSigner signer;
  private final Path output;
  private final ExclusionSource exclusions;
  private final Clock clock;

  public WarehouseWork(SparkSession spark, KeyAccess keys, WarehouseSession.Settings settings, DetachedSigner signer, Path output,
      ExclusionSource exclusions, Clock clock) {
    if (keys.duty() != optout.pseudonymizer.custody.KeyCustodies.Duty.RELEASE) {
      throw new IllegalArgumentException("Cannot run warehouse jobs: they are given the release custody, not the " + keys.duty().lowerCaseName());
    }
    this.spark = spark;
    this.keys = keys;
    this.settings = settings;
    this.signer = signer;
    this.output = output;
    this.exclusions = exclusions;
    this.clock = clock;
  }

  /** The work per kind, for a {@link JobRunner}. */
  public Map<Job.Kind, Work> kinds() {
    Map<Job.Kind, Work> kinds = new EnumMap<>(Job.Kind.class);
    kinds.put(Job.Kind.PREVIEW, this::preview);
    kinds.put(Job.Kind.EXTRACT, this::extract);
    kinds.put(Job.Kind.PROPAGATION, this::propagation);
    kinds.put(Job.Kind.CLOSE, this::close);
    return kinds;
  }

  /** The extract ID a job's release gets: the same on every attempt. */
  public static String extractId(Job job) {
    return "EX-" + LocalDate.ofInstant(job.queuedAt(), ZoneOffset.UTC).toString().replace("-", "") + "-"
        + job.id().toString().replace("-", "").substring(0, 8);
  }

  private static ExtractSpec spec(Job job) {
    ExtractSpec spec = ExtractSpec.parse(job.spec());
    if (!spec.sha256().equals(job.specSha256()) || !spec.project().equals(job.project()) || !spec.purpose().equals(job.purpose())) {
      throw new IllegalArgumentException("Cannot run the job: its spec does not match its hash, project or purpose");
    }
    return spec;
  }

  String preview(Job job, IntConsumer progress) throws Exception {
    ExtractSpec spec = spec(job);
    ExclusionInput exclusion = exclusions.latest(spec.purpose());
    progress.accept(20);
    ExtractJob.Cohort cohort = new ExtractJob(spark, keys.forNewJob(), clock).cohort(spec, exclusion);
    progress.accept(70);
    Representativeness.Report report = new RepresentativenessReport(PREVIEW_REPORT).compute(cohort.flagged());
    cohort.flagged().unpersist();
    ObjectNode outcome = Outcomes.object().put("kind", "preview");
    outcome.put("rule", "counts from 1 to " + PreviewFigures.SUPPRESSED_UP_TO + " are suppressed (null), others rounded to the nearest "
        + PreviewFigures.ROUNDED_TO);
    outcome.putPOJO("cohort", PreviewFigures.shown(cohort.personsInCohort()));
    outcome.putPOJO("optedOut", PreviewFigures.shown(cohort.personsExcluded()));
    outcome.putPOJO("remaining", PreviewFigures.shown(cohort.personsInCohort() - cohort.personsExcluded()));
    checkpoint(outcome, exclusion);
    ObjectNode representativeness = outcome.putObject("representativeness");
    representativeness.put("flagThreshold", report.flagThreshold());
    ArrayNode flagged = representativeness.putArray("flaggedDimensions");
    report.flaggedDimensions().forEach(flagged::add);
    ArrayNode dimensions = representativeness.putArray("dimensions");
    for (Representativeness.Dimension dimension : report.dimensions()) {
      ObjectNode node = dimensions.addObject().put("name", dimension.name()).put("flagged", dimension.flagged())
          .put("largestDifference", round(dimension.largestDifference()));
      ArrayNode categories = node.putArray("categories");
      for (Representativeness.Category category : dimension.categories()) {
        ObjectNode row = categories.addObject().put("name", category.name()).put("shown", category.shown())
            .put("standardisedDifference", round(category.standardisedDifference()));
        if (category.shown()) {
          row.putPOJO("before", PreviewFigures.shown(category.before())).putPOJO("after", PreviewFigures.shown(category.after()));
        }
      }
    }
    return outcome.toString();
  }

  String extract(Job job, IntConsumer progress) throws Exception {
    ExtractSpec spec = spec(job);
    ensureProjectKeys(spec.project());
    ExclusionInput exclusion = exclusions.latest(spec.purpose());
    progress.accept(3);
    ExtractRelease.Released released = new ExtractRelease(spark, keys.forNewJob(), settings, signer, clock)
        .release(spec, exclusion, output, extractId(job), progress);
    ExtractJob.Outcome result = released.outcome();
    byte[] manifest = Files.readAllBytes(released.manifest());
    ObjectNode outcome = Outcomes.object().put("kind", "extract").put("extractId", result.extractId())
        .put("manifest", released.manifest().toString())
        .put("manifestSha256", HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(manifest)))
        .put("signature", released.manifest().resolveSibling(released.manifest().getFileName() + ".sig").toString())
        .put("report", released.report().toString())
        .put("reportHtml", released.report().resolveSibling(result.extractId() + ".representativeness.html").toString())
        .put("namespace", ExtractJob.namespace(spec.project()));
    ObjectNode tables = outcome.putObject("tables");
    result.outputRows().forEach(tables::put);
    outcome.putObject("persons").put("inCohort", result.personsInCohort()).put("excluded", result.personsExcluded())
        .put("included", result.personsIncluded());
    checkpoint(outcome, exclusion);
    ArrayNode flagged = outcome.putArray("flaggedDimensions");
    released.representativeness().flaggedDimensions().forEach(flagged::add);
    return outcome.toString();
  }

  String propagation(Job job, IntConsumer progress) throws Exception {
    // the project's tables stay under the warehouse key version they were built from, even after a rotation
    ExclusionInput exclusion = exclusions.latest(job.purpose(), Propagation.projectKeyVersion(spark, job.project()));
    progress.accept(20);
    Propagation.Removed removed = new Propagation(spark, keys.forNewJob(), clock).propagate(job.project(), exclusion);
    ObjectNode outcome = Outcomes.object().put("kind", "propagation").put("personsRemoved", removed.persons())
        .put("filesDeleted", removed.filesDeleted()).put("propagatedAt", clock.instant().toString());
    ObjectNode rows = outcome.putObject("rowsDeleted");
    removed.rowsPerTable().forEach(rows::put);
    checkpoint(outcome, exclusion);
    return outcome.toString();
  }

  /** Project end: the project's release keys destroyed, then its tables dropped ({@link ProjectClose}, safe to retry). */
  String close(Job job, IntConsumer progress) throws Exception {
    progress.accept(10);
    optout.warehouse.close.ProjectClose.Closed closed = new optout.warehouse.close.ProjectClose(spark, keys.forNewJob()).close(job.project());
    ObjectNode outcome = Outcomes.object().put("kind", "close").put("keys", closed.keys())
        .put("keysDestroyedAt", closed.keysDestroyedAt().map(Object::toString).orElse(null));
    closed.tablesDropped().forEach(outcome.putArray("tablesDropped")::add);
    return outcome.toString();
  }

  /** Approval made the project; its release keys are made on its first extract, in the custody this runner holds. */
  private void ensureProjectKeys(String project) throws GeneralSecurityException {
    KeyCustody custody = keys.custody();
    ProjectId id = ProjectId.of(project);
    for (KeyInfo key : custody.keys()) {
      if (key.project().equals(Optional.of(id))) {
        if (key.purpose() == KeyInfo.Purpose.DESTROYED_PROJECT) {
          throw new IllegalStateException("Cannot extract for the project: its keys were destroyed (the project was closed)");
        }
        return;
      }
    }
    try {
      custody.createProjectKeys(id);
    } catch (GeneralSecurityException e) {
      // another runner may have made them a moment ago: then they are there now
      if (custody.keys().stream().noneMatch(key -> key.project().equals(Optional.of(id)) && key.purpose() != KeyInfo.Purpose.DESTROYED_PROJECT)) {
        throw e;
      }
    }
  }

  private static void checkpoint(ObjectNode outcome, ExclusionInput exclusion) {
    outcome.putObject("registryCheckpoint").put("origin", exclusion.checkpointOrigin()).put("size", exclusion.checkpointSize())
        .put("rootHash", exclusion.checkpointRootHash());
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
