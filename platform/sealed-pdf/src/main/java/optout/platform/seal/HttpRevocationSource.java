package optout.platform.seal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Revocation data fetched over HTTP: one CRL (DER, {@code application/pkix-crl}) from a fixed address, e.g. the consent
 * service's {@code GET /pki/crl}, where the local demo PKI's root issues a fresh one on each call; a production CA's CRL
 * distribution point works the same way. The CRL must be signed by the root of one of the chains it is asked to cover
 * (checked here), so a wrong address gives an error rather than an unusable seal.
 */
public final class HttpRevocationSource implements RevocationSource {

  static final int MAX_CRL_BYTES = 1024 * 1024;

  private final URI url;
  private final Duration timeout;
  private final HttpClient client;

  private HttpRevocationSource(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public static HttpRevocationSource create(URI url, Duration timeout) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("Cannot fetch CRLs from " + url + ": it needs an http or https URL");
    }
    return new HttpRevocationSource(url, timeout);
  }

  @Override
  public List<X509CRL> crlsFor(List<X509Certificate> certificates) throws IOException, GeneralSecurityException {
    HttpResponse<byte[]> answer;
    try {
      answer = client.send(HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/pkix-crl").GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Cannot fetch the CRL from " + url + ": interrupted", e);
    }
    if (answer.statusCode() != 200 || answer.body().length > MAX_CRL_BYTES) {
      throw new IOException("Cannot fetch the CRL from " + url + ": HTTP " + answer.statusCode());
    }
    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(answer.body()));
    for (X509Certificate certificate : certificates) {
      if (certificate.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        crl.verify(certificate.getPublicKey());
        return List.of(crl);
      }
    }
    throw new GeneralSecurityException("Cannot use the CRL from " + url + ": its issuer " + crl.getIssuerX500Principal().getName()
        + " is none of the chains' certificates");
  }

  @Override
  public String toString() {
    return "HttpRevocationSource[" + url + "]";
  }
}
