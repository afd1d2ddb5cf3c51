package optout.platform.testing.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * axe-core, the accessibility engine from npm, run inside the page under test. The version is pinned;
 * npm fetches it once into target/npm (npm checks the registry's integrity hash) and its cache serves it
 * afterwards.
 */
public final class Axe {

  public static final String VERSION = "4.14.1";
  /** WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules axe tags so. */
  public static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa");

  private static final Path PREFIX = Path.of("target", "npm");

  private final String source;

  private Axe(String source) {
    this.source = source;
  }

  /** axe-core from target/npm, installed there with npm first if it is missing. */
  public static Axe load() throws IOException, InterruptedException {
    Path script = PREFIX.resolve("node_modules/axe-core/axe.min.js");
    if (!Files.exists(script) || !Files.readString(PREFIX.resolve("node_modules/axe-core/package.json")).contains("\"version\": \"" + VERSION + "\"")) {
      Files.createDirectories(PREFIX);
      Process npm = new ProcessBuilder("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", PREFIX.toString(),
          "axe-core@" + VERSION).redirectErrorStream(true).start();
      String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!npm.waitFor(120, TimeUnit.SECONDS) || npm.exitValue() != 0 || !Files.exists(script)) {
        throw new IllegalStateException("The accessibility checks need axe-core " + VERSION + " from npm (npm install failed):\n" + output);
      }
    }
    return new Axe(Files.readString(script));
  }

  /** The page's WCAG 2.2 A and AA violations, each as "rule: target (summary)"; empty when it passes. */
  @SuppressWarnings("unchecked")
  public List<String> violations(Chromium chromium) throws Exception {
    if (!Boolean.TRUE.equals(chromium.evaluate("typeof window.axe === 'object'"))) {
      chromium.evaluate(source + "\n;true");
    }
    String tags = String.join("','", TAGS);
    return (List<String>) chromium.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['" + tags + "']}, resultTypes: ['violations']})"
        + ".then(r => r.violations.flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ') + ' (' + n.failureSummary.replace(/\\s+/g, ' ') + ')')))");
  }
}
