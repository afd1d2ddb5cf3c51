/**
 * Sealed filings: the canonical text of a filing ({@link optout.registry.sealedfiling.CanonicalFiling})
 * that the consent service signs with its filing key (Ed25519, in the signed-note format of the log,
 * {@link optout.registry.log.Ed25519NoteSigner}) and the registry verifies against its configured
 * trust anchors before storing anything ({@link optout.registry.sealedfiling.FilingSignatures}). Plain
 * Java, shared by both services, so that the consent service does not depend on the registry.
 */
package optout.registry.sealedfiling;
