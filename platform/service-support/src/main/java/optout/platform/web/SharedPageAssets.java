package optout.platform.web;

/**
 * The scripts and stylesheet every service with pages shares ({@code auth.js}, {@code api.js}, {@code ui.js},
 * {@code app.css}), written once in this module under {@code META-INF/resources/platform/}: Spring Boot serves
 * that folder of any jar on the classpath as static content, so each such service answers {@code /platform/...}
 * itself (same origin, so the pages' strict CSP allows them). A service lets anyone fetch them by adding
 * {@link #PATTERN} to its public page paths.
 */
public final class SharedPageAssets {

  /** GET only: they hold no data. */
  public static final String PATTERN = "/platform/**";

  private SharedPageAssets() {}
}
