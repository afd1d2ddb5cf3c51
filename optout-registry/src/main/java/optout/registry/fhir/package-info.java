/**
 * The FHIR R4 view of a person's opt-out, for exchange with other agencies: {@link
 * optout.registry.fhir.ConsentView} builds an {@code org.hl7.fhir.r4.model.Consent} with HAPI FHIR's
 * structures and writes it with HAPI's JSON parser (one {@code FhirContext}, made on first use). Plain
 * Java; the caller opens the person's sealed ID for this view and passes the events.
 *
 * <h2>Mapping</h2>
 * <ul>
 *   <li>{@code status}: {@code active} while any scope is opted out of, {@code inactive} after the last one
 *       was withdrawn (there is then no {@code provision}).</li>
 *   <li>{@code scope}: {@code consentscope#patient-privacy}. An opt-out is a privacy directive about the
 *       use and disclosure of information; {@code research} means consent to take part in a research
 *       protocol, which this is not, even where the scope opted out of is research.</li>
 *   <li>{@code category}: LOINC 59284-0 "Patient Consent".</li>
 *   <li>{@code patient}: a logical reference by identifier (the registry holds no Patient resources), as
 *       TW Core IG's Patient has it: a national ID (身分證字號) with system {@code http://www.moi.gov.tw}
 *       (no trailing slash), type v2-0203 {@code NNxxx} with TW Core's identifier-suffix extension
 *       {@code TWN}; a resident certificate number with system {@code http://www.immigration.gov.tw} and type
 *       {@code PRC}. This is the only place the identifier appears. The auditors' variant ({@link
 *       optout.registry.fhir.ConsentView#pseudonymous}) names the warehouse pseudonym instead, under {@link
 *       optout.registry.fhir.ConsentView#PSEUDONYM_SYSTEM}: auditors see metadata, not identities.</li>
 *   <li>{@code identifier}: {@code urn:uuid:} of the last event, so the receiver can ask the transparency log
 *       for that event's inclusion proof; {@code dateTime}: the last event's effective time (UTC, to the
 *       millisecond).</li>
 *   <li>{@code policy}: the Constitutional Court's Judgment 111-Hsien-Pan-13 on the court's site;
 *       {@code policyRule}: v3-ActCode {@code OPTOUTE} (opt-out with exceptions) when a legal exemption
 *       applies, else {@code OPTOUT}, with text naming the judgment and the National Health Insurance Data
 *       Management Act (全民健康保險資料管理條例, 2025).</li>
 *   <li>{@code provision}: the root carries {@code period.start}, the earliest current opt-out, and <em>no
 *       type</em> (R4: "not permitted in root rule, required in all nested rules"; the policy rule says
 *       what holds by default). One nested {@code deny} per opted-out scope, with {@code period.start}
 *       since when and {@code purpose} codings: the scope's v3-ActReason code when configured, and always
 *       ours ({@link optout.registry.fhir.ConsentView#SCOPE_SYSTEM}), which names the registry's scope
 *       exactly. Inside each deny, one {@code permit} per legal exemption that overrides that scope (every
 *       exemption, for a scope covering all), with our exemption code as purpose and its legal basis in the
 *       extension {@link optout.registry.fhir.ConsentView#LEGAL_BASIS_EXTENSION}: what the opt-out does not
 *       stop.</li>
 *   <li>{@code sourceReference}: a DocumentReference identified by the signed form's SHA-256 as an RFC 6920
 *       {@code ni:///sha-256;...} URI (system {@code urn:ietf:rfc:3986}). Not {@code sourceAttachment}: R4's
 *       {@code Attachment.hash} is SHA-1, and the archive reference means nothing outside the consent
 *       service.</li>
 *   <li>Left out on purpose: {@code id}, narrative {@code text} (no place for personal data to slip in),
 *       {@code performer} (a proxy's identity is not the registry's to give), names.</li>
 * </ul>
 *
 * <p>Our URIs under {@code https://nhicore.nhi.gov.tw/optout/} follow the NHI Administration's FHIR
 * convention but are not published yet; they are constants here, to change in one place when the
 * CodeSystems are. The purpose binding in R4 is extensible to v3 PurposeOfUse: a validator may warn about
 * our own scope coding beside the ActReason one; receivers need it to map back to the registry's scopes.
 */
package optout.registry.fhir;
