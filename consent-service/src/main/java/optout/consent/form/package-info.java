/**
 * The opt-out form and the citizen's receipt, as PDF: plain Java (no Spring), PDFBox 3, Traditional
 * Chinese first with English.
 *
 * <h2>What a form shows, and what it leaves out</h2>
 * A form carries only what the registry needs to honour the filing and what the signer needs to see
 * what they sign: the filing's ID; the person's national ID masked to its first letter and last three
 * characters ({@code A******789}); who filed it (the person, or a legal representative's relation:
 * parent of a minor, guardian, assistant) and for a representative the reference of the evidence of
 * authority; the channel (counter or online); the signing time in Asia/Taipei (Republic of China
 * calendar and ISO); every scope the template offers, ticked or not; the declaration; the handwritten
 * signature; a reserved field for the agency's seal; a privacy notice. No name, birth date, address,
 * telephone, or the representative's own identity: the clerk checked those, and the evidence
 * reference leads to them. The full ID enters {@link optout.consent.form.Filing} only as the
 * pseudonymizer's {@code PersonId}, to be masked the same way everywhere; tests check it is nowhere in
 * the file, raw or decoded. The receipt shows no national ID at all.
 *
 * <h2>Versioned text</h2>
 * Every word that is not the filing's data comes from a {@link optout.consent.form.FormTemplate}
 * ({@code templates/<id>-v<version>.txt}, listed with its SHA-256 in {@code templates/published.sha256}).
 * Each form records the template's ID, version and SHA-256 in its information dictionary and XMP
 * metadata, and prints them in the footer of every page. The v1 texts are placeholders written by the
 * engineering team; the agency replaces them by publishing new versions.
 *
 * <h2>The document's life, and what the biometric envelope is bound to</h2>
 * <ol>
 *   <li>{@link optout.consent.form.FormRenderer#render}: the form with the signature picture, revision
 *       1 of the file. Its SHA-256 is {@link optout.consent.form.RenderedForm#sha256()}.
 *   <li>The signature-pad driver seals the biometric record for that SHA-256
 *       ({@code BiometricEnvelope.seal(new SealedContent(format, form.sha256(), record), examiner, now)}).
 *   <li>{@link optout.consent.form.BiometricAttachment#attach}: the envelope becomes a PDF/A-3
 *       associated file in an incremental update (revision 2), leaving revision 1's bytes untouched.
 *   <li>The sealer ({@code optout.platform.seal}) signs the reserved field
 *       {@value optout.consent.form.FormRenderer#SEAL_FIELD_NAME} with PAdES in a further incremental
 *       update, which covers everything before it.
 * </ol>
 * An examiner checks the seal, opens the envelope, and finds the revision whose SHA-256 the envelope
 * names ({@link optout.consent.form.BiometricAttachment#boundRevision}): the signature was given on
 * exactly that form.
 *
 * <h2>PDF/A</h2>
 * Forms and receipts are PDF/A-3B: PDF 1.7, fonts embedded (subsets with ToUnicode), an sRGB output
 * intent, XMP with the PDF/A identification and an extension schema for the form's own properties,
 * no transparency (the signature picture is flattened onto white), every widget with an appearance.
 * The tests validate the rendered form, the form with its attachment, and the receipt with veraPDF.
 * The PAdES revision added later is the sealer's to keep conforming.
 *
 * <h2>Fonts</h2>
 * See {@link optout.platform.pdf.FormFonts}: AR PL UMing TW (Debian {@code fonts-arphic-uming}) and
 * Liberation Serif (Debian {@code fonts-liberation}); the tests also need Debian {@code poppler-utils}.
 */
package optout.consent.form;
