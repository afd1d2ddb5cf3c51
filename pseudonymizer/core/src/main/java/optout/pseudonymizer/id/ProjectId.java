package optout.pseudonymizer.id;

import java.util.regex.Pattern;

/**
 * A research project's identifier, e.g. {@code nhird-2026-0042}: lower-case letters, digits and
 * hyphens, 3 to 63 characters, starting with a letter or digit. It names the project's keys.
 */
public record ProjectId(String value) {

  private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9-]{2,62}");

  public ProjectId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Cannot use project ID: use 3 to 63 lower-case letters, digits and hyphens, starting with a letter or digit");
    }
  }

  public static ProjectId of(String value) {
    return new ProjectId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
