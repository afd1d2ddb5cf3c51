/**
 * The agency's seal on a filed form: a PAdES baseline signature at level B-LT, plain Java (no Spring),
 * so that the service, a command line or a test can seal and check forms alike.
 *
 * <p><b>What a sealed form is.</b> The form's bytes, unchanged, followed by one incremental update
 * ({@link optout.consent.seal.PadesSealer}) that holds:
 * <ul>
 *   <li>the signature field (the form's reserved {@code AgencySeal}, or a new one) and its signature
 *       dictionary: {@code /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached}, the claimed
 *       signing time in {@code /M}, a {@code /ByteRange} that covers the whole file but the
 *       {@code /Contents} hex string;
 *   <li>in {@code /Contents}, a detached CMS SignedData (SHA-256, ECDSA or RSA) whose signed attributes
 *       are content-type, message-digest and ESS signing-certificate-v2 (no signing-time: PAdES
 *       baseline forbids it), whose certificates are the seal's chain, and whose one unsigned
 *       attribute is the RFC 3161 signature timestamp over the signature value (B-T);
 *   <li>the document security store (DSS): {@code /Certs} with the seal's and the timestamp
 *       authority's chains, {@code /CRLs} with CRLs current at sealing (B-LT), and the ESIC extension
 *       level 5 in the catalog's {@code /Extensions}.
 * </ul>
 * The DSS is part of the signed revision, not a later one, so that the seal covers the whole file:
 * pdfsig reports "Total document signed", and any byte changed or appended is detected (see
 * {@link optout.consent.seal.PadesSealer} for the trade-off). There is no document timestamp
 * (B-LTA) yet.
 *
 * <p><b>Keys and authorities.</b> The seal key is a {@link optout.consent.seal.SealingKey}: a software
 * key ({@link optout.consent.seal.JcaSealingKey}, e.g. from the demo PKI) or a key on a PKCS#11 token
 * ({@link optout.consent.seal.Pkcs11SealingKey}, tested with SoftHSM2). The timestamp comes from a
 * {@link optout.consent.seal.TimestampAuthority}: the built-in
 * {@link optout.consent.seal.LocalTimestampAuthority} or an external one over HTTP
 * ({@link optout.consent.seal.HttpTimestampAuthority}). Revocation data comes from a
 * {@link optout.consent.seal.RevocationSource}. {@link optout.consent.seal.pki.DemoPki} provides all
 * three for the embedded default.
 *
 * <p><b>Checking.</b> {@link optout.consent.seal.SealVerifier} is the service's own check ("a tampered
 * PDF gets a clear error"); the tests also run poppler's pdfsig and {@code openssl ts -verify}, which
 * share no code with it.
 */
package optout.consent.seal;
