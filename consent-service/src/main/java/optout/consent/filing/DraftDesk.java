package optout.consent.filing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.UUID;
import optout.consent.form.Channel;
import optout.platform.problem.ProblemResponses;
import optout.pseudonymizer.id.PersonId;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * What the counter's and the online controllers share: turning a validated request into a draft,
 * finding the caller's own draft (anyone else's does not exist for them), taking evidence, and filing.
 */
public final class DraftDesk {

  private final FilingService filings;
  private final DraftBook drafts;

  public DraftDesk(FilingService filings, DraftBook drafts) {
    this.filings = filings;
    this.drafts = drafts;
  }

  public static Draft.Owner owner(String role, JwtAuthenticationToken caller) {
    return new Draft.Owner(role, caller.getToken().getSubject());
  }

  public Draft openCounter(DraftRequests.Counter request, PersonId person, Draft.Owner owner) {
    Optional<DraftRequests.CounterRepresentative> representative = Optional.ofNullable(request.representative());
    return filings.open(owner, Channel.COUNTER, new FilingService.DraftRequest(DraftRequests.kind(request.kind()), person, request.scopes(),
        representative.flatMap(r -> DraftRequests.relation(r.relation())),
        representative.map(r -> DraftRequests.personId("representative.nationalId", r.nationalId())),
        representative.map(DraftRequests.CounterRepresentative::evidenceType), request.identityCheck().method()));
  }

  /** @param self the caller's own ID from their account: a representative's, when they file for someone else */
  public Draft openOnline(DraftRequests.Online request, PersonId person, PersonId self, Draft.Owner owner) {
    Optional<DraftRequests.OnlineRepresentative> representative = Optional.ofNullable(request.representative());
    return filings.open(owner, Channel.ONLINE, new FilingService.DraftRequest(DraftRequests.kind(request.kind()), person, request.scopes(),
        representative.flatMap(r -> DraftRequests.relation(r.relation())), representative.map(r -> self),
        representative.map(DraftRequests.OnlineRepresentative::evidenceType),
        FilingService.ONLINE_IDENTITY_CHECK));
  }

  /** The caller's draft, or 404: a draft of someone else's, or one that expired, is not there for them. */
  public Draft find(UUID draftId, Draft.Owner owner) {
    return drafts.find(draftId, owner).orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "unknown-draft", "No such draft",
        "There is no draft with this ID for you; drafts expire after " + drafts.lifetime().toMinutes() + " minutes. Start again."));
  }

  public DraftView.EvidenceView attachEvidence(UUID draftId, Draft.Owner owner, byte[] content) {
    Draft.Evidence evidence = filings.attachEvidence(find(draftId, owner), content);
    return new DraftView.EvidenceView(evidence.sha256(), evidence.content().length, evidence.mediaType());
  }

  public FilingView file(UUID draftId, Draft.Owner owner) throws IOException, GeneralSecurityException {
    FilingRecord filed = filings.file(find(draftId, owner), new FilingService.Filer(owner.role(), owner.subject()));
    return filed.awaitsOrFailedReview() ? FilingView.requestOnly(filed) : FilingView.of(filed);
  }

  public void discard(UUID draftId, Draft.Owner owner) {
    drafts.discard(draftId, owner);
  }

  public FilingService filings() {
    return filings;
  }
}
