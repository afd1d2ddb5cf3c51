package optout.portal.citizen;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The citizen's sealed PDF report ({@code optout.portal.citizen.report.*}). Without a key store the report is not
 * offered ({@code 503 report-unavailable}). Never from git: {@code ./optout up} makes the local demo's under the
 * consent service's demo PKI; production gives its own.
 *
 * @param keystore the portal's seal: a PKCS#12 key store with one key entry and its certificate chain
 * @param keystorePasswordFile the file holding its password (or {@code keystorePassword})
 * @param tsaUrl the RFC 3161 timestamp authority (the consent service's {@code /tsa} in the local demo)
 * @param tsaRoot the PEM root the TSA's certificate must chain to (the consent service's demo root in the local demo)
 * @param crlUrl where a CRL of the seal's and the TSA's root is fetched, issued after the signature timestamp (the consent
 *     service's {@code /pki/crl} in the local demo): the report is then sealed at level B-LTA (validation data and a document
 *     timestamp); unset: B-T
 * @param tsaClientId, tsaClientSecret a confidential client whose token the TSA wants (realm role {@code timestamp-client});
 *     unset: no token is sent
 */
@ConfigurationProperties("optout.portal.citizen.report")
record ReportProperties(Path keystore, String keystorePassword, Path keystorePasswordFile, URI tsaUrl, Path tsaRoot,
    URI crlUrl, String tsaClientId, String tsaClientSecret) {

  boolean configured() {
    return keystore != null;
  }
}
