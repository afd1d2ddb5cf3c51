package optout.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The portal's rules are plain Java (testable without Spring, reusable by pages and jobs), and no
 * feature reaches into another's internals: only the types named here cross feature lines.
 */
class DomainBoundariesTest {

  private static final Path SOURCES = Path.of("src/main/java/optout/portal");

  /** The application's domain: the state machine, the form, the submission check, the PDF check, the diff. */
  private static final List<String> DOMAIN = List.of("ApplicationStatus", "ApplicationContent", "SubmissionCheck", "EthicsApprovals", "VersionDiff");

  @Test
  void theDomainUsesNoSpring() throws IOException {
    for (String type : DOMAIN) {
      String source = Files.readString(SOURCES.resolve("application/" + type + ".java"));
      assertThat(source).as(type).doesNotContain("import org.springframework");
    }
  }

  @Test
  void theCitizensReplayOfTheirHistoryUsesNoSpring() throws IOException {
    assertThat(Files.readString(SOURCES.resolve("citizen/ReleaseHistory.java"))).doesNotContain("import org.springframework");
  }

  @Test
  void theCitizensViewReachesIntoNoOtherFeature() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES.resolve("citizen"))) {
      for (Path file : files.toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("optout.portal.application").doesNotContain("optout.portal.review")
            .doesNotContain("optout.portal.delivery").doesNotContain("optout.portal.output").doesNotContain("optout.portal.notification");
      }
    }
  }

  @Test
  void theLaunchSeamKnowsNothingOfApplicationsOrReviews() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES.resolve("launch"))) {
      for (Path file : files.toList()) {
        assertThat(Files.readString(file)).as(file.toString())
            .doesNotContain("optout.portal.application").doesNotContain("optout.portal.review");
      }
    }
  }

  @Test
  void applicationsDoNotDependOnReviews() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES.resolve("application"))) {
      for (Path file : files.toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("optout.portal.review");
      }
    }
  }
}
