package optout.portal.application;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import optout.warehouse.spec.MinimumNecessary;

/**
 * What a researcher writes in an application. A draft may leave anything out; the annotations bound
 * only sizes and shapes (at the edge), and {@link SubmissionCheck} decides at submission whether it is
 * complete and valid, with the spec library's own checks.
 *
 * @param purpose the registry scope the data is for (its opt-outs are excluded)
 * @param tables the warehouse tables and, for each, the columns asked for
 * @param justifications by table, then by column: why the study needs each identifying or quasi-identifying column
 */
public record ApplicationContent(
    @Size(max = 200) String title,
    @Size(max = 200) String institution,
    @Size(max = 200) String principalInvestigator,
    @Pattern(regexp = "[a-z][a-z-]{0,39}", message = "must be a registry scope such as academic-research") String purpose,
    @Size(max = 500) String legalBasis,
    @Size(max = SubmissionCheck.MAX_PUBLIC_TEXT) String laySummary,
    @Size(max = SubmissionCheck.MAX_PUBLIC_TEXT) String publicBenefit,
    @Size(max = 20) Map<@Pattern(regexp = NAME, message = "must be a table name") String,
        @Size(max = 40) List<@Pattern(regexp = NAME, message = "must be a column name") String>> tables,
    @Size(max = 20) Map<@Pattern(regexp = NAME, message = "must be a table name") String,
        @Size(max = 40) Map<@Pattern(regexp = NAME, message = "must be a column name") String,
            @Size(max = MinimumNecessary.MAX_JUSTIFICATION) String>> justifications,
    @Valid Cohort cohort,
    @Valid Generalisation generalisation) {

  /** Table and column names: lower case and underscores, as the data dictionary writes them. */
  static final String NAME = "[a-z][a-z0-9_]{0,39}";

  /** Who the study is about. Diagnoses are ICD-10-CM codes or prefixes without the dot. */
  public record Cohort(
      @Size(max = 100) List<@Pattern(regexp = "[A-Za-z0-9.]{1,8}", message = "must be an ICD-10-CM code such as E11") String> diagnoses,
      LocalDate from,
      LocalDate to,
      @Min(0) @Max(120) Integer minAge,
      @Min(0) @Max(120) Integer maxAge) {}

  /** How quasi-identifiers are released: birthDate {@code year} or {@code five-year-band}, careDates {@code day} or {@code month}. */
  public record Generalisation(
      @Pattern(regexp = "[a-z-]{1,20}") String birthDate,
      @Pattern(regexp = "[a-z-]{1,20}") String careDates) {}

  /** A blank form. */
  public static ApplicationContent empty() {
    return new ApplicationContent(null, null, null, null, null, null, null, null, null, null, null);
  }

  public Map<String, List<String>> tablesOrEmpty() {
    return tables == null ? Map.of() : tables;
  }

  public Map<String, Map<String, String>> justificationsOrEmpty() {
    return justifications == null ? Map.of() : justifications;
  }
}
