package optout.platform.seal;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * EU DSS 6.4, the European Commission's validator, as the seal's independent judge: offline (no AIA,
 * CRL or OCSP fetching: the PDF must carry its own validation data), the given root as the only trust
 * anchor, DSS's default validation policy.
 *
 * <p>DSS runs in a class loader of its own, with the Bouncy Castle 1.83 it is built for instead of the
 * platform's 1.87, which refuses the zero padding that follows the CMS in every PDF signature's
 * /Contents and so would make DSS find no signature at all. It shares no class with the service.
 */
public final class EuDss {

  private static Method validate;

  private EuDss() {}

  /**
   * What DSS says about the PDF's signature (the seal) and its timestamps (the signature timestamp and
   * the document timestamps, each with its own indication).
   */
  public record Verdict(String format, String indication, String subIndication, int signatures, String simpleReportXml,
      List<String> timestampIndications) {

    /** The seal TOTAL_PASSED and every timestamp of it PASSED. */
    public boolean allPassed() {
      return "TOTAL_PASSED".equals(indication) && timestampIndications.stream().allMatch("PASSED"::equals);
    }

    @Override
    public String toString() {
      return signatures == 0 ? "no signature found"
          : format + " " + indication + (subIndication.isEmpty() ? "" : " " + subIndication) + ", timestamps " + timestampIndications;
    }
  }

  public static Verdict validate(byte[] pdf, X509Certificate trustedRoot) {
    Method bridge = bridge();
    Thread thread = Thread.currentThread();
    ClassLoader caller = thread.getContextClassLoader();
    thread.setContextClassLoader(bridge.getDeclaringClass().getClassLoader()); // DSS finds its parts by ServiceLoader
    try {
      String[] result = (String[]) bridge.invoke(null, pdf, trustedRoot.getEncoded());
      return new Verdict(result[0], result[1], result[2], Integer.parseInt(result[3]), result[4],
          result[5].isEmpty() ? List.of() : List.of(result[5].split(",")));
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("EU DSS failed: " + e.getCause(), e.getCause());
    } catch (IllegalAccessException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(caller);
    }
  }

  private static synchronized Method bridge() {
    if (validate == null) {
      try {
        ClassLoader loader = new URLClassLoader("eu-dss", classPath(), ClassLoader.getPlatformClassLoader());
        validate = loader.loadClass("optout.platform.seal.dss.DssBridge").getMethod("validate", byte[].class, byte[].class);
      } catch (ReflectiveOperationException | java.io.IOException e) {
        throw new IllegalStateException("Cannot load EU DSS: " + e, e);
      }
    }
    return validate;
  }

  /** The test class path with Bouncy Castle 1.83 (copied by the build) in place of the platform's. */
  private static URL[] classPath() throws java.io.IOException {
    String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path bouncyCastle = Path.of(System.getProperty("optout.test.dss-bouncy-castle", "target/dss-bouncy-castle"));
    List<URL> urls = new ArrayList<>();
    try (Stream<Path> jars = Files.list(bouncyCastle)) {
      for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
        urls.add(jar.toUri().toURL());
      }
    }
    if (urls.size() != 3) {
      throw new IllegalStateException("Cannot load EU DSS: " + bouncyCastle + " should hold Bouncy Castle 1.83's three jars (mvn generate-test-resources)");
    }
    for (String entry : testClassPath.split(File.pathSeparator)) {
      if (!entry.isBlank() && !Path.of(entry).getFileName().toString().startsWith("bc")) {
        urls.add(url(entry));
      }
    }
    return urls.toArray(URL[]::new);
  }

  private static URL url(String entry) throws MalformedURLException {
    return Path.of(entry).toUri().toURL();
  }
}
