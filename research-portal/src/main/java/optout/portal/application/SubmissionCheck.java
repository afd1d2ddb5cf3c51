package optout.portal.application;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import optout.warehouse.spec.ExtractSpec;
import optout.warehouse.spec.MinimumNecessary;

/**
 * Whether an application may be submitted: every mandatory field written, the ethics approval uploaded,
 * and the extract spec built from it valid by the spec library (the Spark job's own checks) with every
 * identifying column justified. Every problem is reported, each at the form field it concerns.
 */
public final class SubmissionCheck {

  /** The longest lay summary or public benefit: they go to the public register as written. */
  public static final int MAX_PUBLIC_TEXT = 4000;
  /** Shorter than this says nothing a member of the public could follow. */
  public static final int MIN_PUBLIC_TEXT = 50;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SubmissionCheck() {}

  /** One problem, at a field of the form ({@code cohort.to}, {@code tables.enrollment[3]}, {@code justifications.enrollment.person}). */
  public record FieldProblem(String field, String message) {}

  /** What a valid application asks the warehouse for: the spec exactly as checked, and its parsed form. */
  public record CheckedSpec(String json, ExtractSpec spec) {}

  /** Refused: every problem at its field. */
  public static final class IncompleteApplicationException extends RuntimeException {
    private final List<FieldProblem> problems;

    IncompleteApplicationException(List<FieldProblem> problems) {
      super("The application cannot be submitted yet: " + problems.size() + " problem(s)");
      this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
      return problems;
    }
  }

  /** The project name an application's spec carries: the application's number, so it is unique and never chosen. */
  public static String project(long applicationNumber) {
    return "application-" + applicationNumber;
  }

  /**
   * Checks the content for submission and returns the spec to record.
   *
   * @throws IncompleteApplicationException with every problem found
   */
  public static CheckedSpec check(ApplicationContent content, boolean ethicsApprovalUploaded, long applicationNumber) {
    List<FieldProblem> problems = new ArrayList<>();
    required(problems, "title", content.title(), 3);
    required(problems, "institution", content.institution(), 2);
    required(problems, "principalInvestigator", content.principalInvestigator(), 2);
    publicText(problems, "laySummary", content.laySummary());
    publicText(problems, "publicBenefit", content.publicBenefit());
    if (!ethicsApprovalUploaded) {
      problems.add(new FieldProblem("ethicsApproval", "required: upload the ethics committee's approval as a PDF"));
    }
    String json = specJson(content, applicationNumber);
    ExtractSpec spec = null;
    try {
      spec = ExtractSpec.parse(json.getBytes(StandardCharsets.UTF_8));
    } catch (ExtractSpec.InvalidSpecException invalid) {
      invalid.problems().forEach(p -> problems.add(new FieldProblem(field(p.path()), p.message())));
    }
    // the justifications are checked against the columns asked for, even when other parts of the spec are wrong
    MinimumNecessary.check(content.tablesOrEmpty(), content.justificationsOrEmpty())
        .forEach(p -> problems.add(new FieldProblem(field(p.path()), p.message())));
    if (!problems.isEmpty()) {
      throw new IncompleteApplicationException(problems);
    }
    return new CheckedSpec(json, spec);
  }

  /**
   * The spec of a draft for the impact preview: only what the spec holds must be right (the purpose, the
   * tables and columns, the cohort, the generalisation); the rest of the form can come later.
   *
   * @throws IncompleteApplicationException with every problem of the spec, each at its form field
   */
  public static CheckedSpec previewSpec(ApplicationContent content, long applicationNumber) {
    String json = specJson(content, applicationNumber);
    try {
      return new CheckedSpec(json, ExtractSpec.parse(json.getBytes(StandardCharsets.UTF_8)));
    } catch (ExtractSpec.InvalidSpecException invalid) {
      throw new IncompleteApplicationException(invalid.problems().stream().map(p -> new FieldProblem(field(p.path()), p.message())).toList());
    }
  }

  /** The spec this content asks for, as the warehouse reads it; absent fields stay absent so the library names them. */
  static String specJson(ApplicationContent content, long applicationNumber) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("project", project(applicationNumber));
    if (content.purpose() != null) {
      spec.put("purpose", content.purpose());
    }
    if (content.legalBasis() != null) {
      spec.put("legalBasis", content.legalBasis());
    }
    if (content.tables() != null) {
      ObjectNode tables = spec.putObject("tables");
      content.tables().forEach((table, columns) -> {
        ArrayNode list = tables.putArray(table);
        if (columns != null) {
          columns.forEach(list::add);
        }
      });
    }
    ApplicationContent.Cohort cohort = content.cohort();
    if (cohort != null) {
      ObjectNode node = spec.putObject("cohort");
      if (cohort.diagnoses() != null) {
        ArrayNode diagnoses = node.putArray("diagnoses");
        cohort.diagnoses().forEach(diagnoses::add);
      }
      if (cohort.from() != null) {
        node.put("from", cohort.from().toString());
      }
      if (cohort.to() != null) {
        node.put("to", cohort.to().toString());
      }
      if (cohort.minAge() != null) {
        node.put("minAge", cohort.minAge());
      }
      if (cohort.maxAge() != null) {
        node.put("maxAge", cohort.maxAge());
      }
    }
    ApplicationContent.Generalisation generalisation = content.generalisation();
    if (generalisation != null) {
      ObjectNode node = spec.putObject("generalisation");
      if (generalisation.birthDate() != null) {
        node.put("birthDate", generalisation.birthDate());
      }
      if (generalisation.careDates() != null) {
        node.put("careDates", generalisation.careDates());
      }
    }
    try {
      return JSON.writeValueAsString(spec);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code $.cohort.to} is the form's {@code cohort.to}. */
  static String field(String specPath) {
    if (specPath.equals("$")) {
      return "spec";
    }
    return specPath.startsWith("$.") ? specPath.substring(2) : specPath;
  }

  private static void required(List<FieldProblem> problems, String field, String value, int minLength) {
    if (value == null || value.isBlank()) {
      problems.add(new FieldProblem(field, "required"));
    } else if (value.strip().length() < minLength) {
      problems.add(new FieldProblem(field, "at least " + minLength + " characters"));
    }
  }

  private static void publicText(List<FieldProblem> problems, String field, String value) {
    if (value == null || value.isBlank()) {
      problems.add(new FieldProblem(field, "required: it is published in the public register, in words the public can follow"));
    } else if (value.strip().length() < MIN_PUBLIC_TEXT) {
      problems.add(new FieldProblem(field, "at least " + MIN_PUBLIC_TEXT + " characters, in words the public can follow"));
    }
  }
}
