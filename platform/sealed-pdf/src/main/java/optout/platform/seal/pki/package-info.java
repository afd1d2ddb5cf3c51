/**
 * The local demo PKI: a root CA, the agency's seal certificate and the timestamp authority's
 * certificate, made on first start so that the platform seals forms with no outside CA (the escrow
 * examiner is not part of it: the service gets the examiner's certificate only). Not for production: a real deployment uses a CA's seal certificate on a PKCS#11 token
 * and a qualified timestamp authority. See {@link optout.platform.seal.pki.DemoPki} for the profile.
 */
package optout.platform.seal.pki;
