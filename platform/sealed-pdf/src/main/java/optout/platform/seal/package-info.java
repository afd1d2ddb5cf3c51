/**
 * The agency's seal on a filed form: a PAdES baseline signature at level B-LTA, plain Java (no Spring),
 * so that the service, a command line or a test can seal and check forms alike.
 *
 * <p><b>What a sealed form is.</b> The form's bytes, unchanged, followed by three incremental updates
 * ({@link optout.platform.seal.PadesSealer}):
 * <ol>
 *   <li>the seal: the signature field (the form's reserved {@code AgencySeal}, or a new one) with its
 *       visible appearance (agency, seal certificate, signing time) when a font is given, and its
 *       signature dictionary: {@code /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached}, the claimed
 *       signing time in {@code /M}; in {@code /Contents}, a detached CMS SignedData (SHA-256, ECDSA or RSA)
 *       whose signed attributes are content-type, message-digest and ESS signing-certificate-v2 (no
 *       signing-time: PAdES baseline forbids it), and whose one unsigned attribute is the RFC 3161
 *       signature timestamp over the signature value (B-T);
 *   <li>the document security store (DSS): {@code /Certs} with the seal's and the timestamp authority's
 *       chains, {@code /CRLs} with revocation data issued after the signature timestamp, a {@code /VRI}
 *       entry for the seal naming them, and the ESIC extension level 5 (B-LT);
 *   <li>a document timestamp ({@code /Type /DocTimeStamp}, {@code /SubFilter /ETSI.RFC3161}) in an
 *       invisible field over everything before it (B-LTA).
 * </ol>
 * The seal covers its own revision; the document timestamp covers the whole file. Before its newest
 * timestamp's certificate ends, {@link optout.platform.seal.ArchiveStamper} adds revocation data for that
 * timestamp and a new document timestamp ({@code ./optout consent restamp}); every version keeps the
 * previous one, and so the form as filed, as its exact byte prefix.
 *
 * <p><b>Keys and authorities.</b> The seal key is a {@link optout.platform.seal.SealingKey}: a software
 * key ({@link optout.platform.seal.JcaSealingKey}, e.g. from the demo PKI) or a key on a PKCS#11 token
 * ({@link optout.platform.seal.Pkcs11SealingKey}, tested with SoftHSM2). The timestamps come from a
 * {@link optout.platform.seal.TimestampAuthority}: the built-in
 * {@link optout.platform.seal.LocalTimestampAuthority} or an external one over HTTP
 * ({@link optout.platform.seal.HttpTimestampAuthority}). Revocation data comes from a
 * {@link optout.platform.seal.RevocationSource}. {@link optout.platform.seal.pki.DemoPki} provides all
 * three for the embedded default.
 *
 * <p><b>Checking.</b> {@link optout.platform.seal.SealVerifier} is the service's own check ("a tampered
 * PDF gets a clear error"): after the seal it accepts only validation data and document timestamps, and
 * it names the level as EU DSS does. The tests also run EU DSS 6.4, poppler's pdfsig and {@code openssl
 * ts -verify}, which share no code with it.
 */
package optout.platform.seal;
