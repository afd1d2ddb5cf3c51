package optout.portal.output;

import optout.platform.problem.ProblemResponses;
import optout.portal.application.SubmissionCheck;
import org.springframework.http.HttpStatus;

/** A project's name, {@code application-<number>}: what its spec, its job rows and the warehouse call it. */
final class ProjectName {

  static final String PATTERN = "application-[1-9][0-9]{0,17}";

  private ProjectName() {}

  static String of(long applicationNumber) {
    return SubmissionCheck.project(applicationNumber);
  }

  /** The application number a project name carries; a name of another form is no project (404). */
  static long number(String project) {
    if (project == null || !project.matches(PATTERN)) {
      throw ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such project.");
    }
    return Long.parseLong(project.substring("application-".length()));
  }
}
