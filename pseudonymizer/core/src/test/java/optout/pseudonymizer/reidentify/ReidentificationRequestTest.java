package optout.pseudonymizer.reidentify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import optout.pseudonymizer.FixedKeys;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.Pseudonyms;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.reidentify.AuditEvent.Type;
import optout.pseudonymizer.reidentify.ReidentificationRefusedException.Rule;
import optout.pseudonymizer.reidentify.ReidentificationRequest.Status;
import org.junit.jupiter.api.Test;

class ReidentificationRequestTest {

  private static final ProjectId PROJECT = ProjectId.of("nhird-2026-0042");
  private static final Instant NOW = Instant.parse("2026-11-24T02:00:00Z");
  private static final PersonId PERSON = PersonId.parse("A123456789");
  private static final ReidentificationRequest.Extract EXTRACT = new ReidentificationRequest.Extract("EX-20261124-0000abcd", 1);

  private final WarehousePseudonymizer warehouse;
  private final ProjectPseudonymizer project;
  private final long pseudonym;

  ReidentificationRequestTest() throws Exception {
    warehouse = new WarehousePseudonymizer(FixedKeys.pseudonymFf1(1, WarehousePseudonymizer.TWEAK), 1);
    project = new ProjectPseudonymizer(FixedKeys.pseudonymFf1(2, ProjectPseudonymizer.tweak(PROJECT)), PROJECT);
    pseudonym = project.pseudonym(warehouse.pseudonym(PERSON));
  }

  private PersonId reveal(long projectPseudonym) {
    return warehouse.reveal(project.layer1(projectPseudonym));
  }

  private ReidentificationRequest filed() {
    return ReidentificationRequest.file("reviewer-1", PROJECT, EXTRACT, List.of(pseudonym, pseudonym), "Medical Care Act art. 70",
        "suspected adverse drug reaction to report to the patient's physician", NOW, Duration.ofDays(7));
  }

  @Test
  void twoDifferentCustodiansApproveAndTheRequesterGetsThePeopleOnce() {
    ReidentificationRequest request = filed();
    assertThat(request.pseudonyms()).as("duplicates collapse").containsExactly(pseudonym);
    request.approve("custodian-a", NOW.plusSeconds(60));
    assertThat(request.status()).isEqualTo(Status.AWAITING_APPROVAL);
    request.approve("custodian-b", NOW.plusSeconds(120));
    assertThat(request.status()).isEqualTo(Status.APPROVED);

    Map<Long, PersonId> people = request.resolve("reviewer-1", NOW.plusSeconds(180), this::reveal);
    assertThat(people).containsExactly(Map.entry(pseudonym, PERSON));
    assertThat(request.status()).isEqualTo(Status.RESOLVED);
    assertThat(request.events()).extracting(AuditEvent::type)
        .containsExactly(Type.REQUESTED, Type.APPROVED, Type.APPROVED, Type.RESOLVED);
    assertThat(request.events()).extracting(AuditEvent::actor)
        .containsExactly("reviewer-1", "custodian-a", "custodian-b", "reviewer-1");

    assertThatThrownBy(() -> request.resolve("reviewer-1", NOW.plusSeconds(240), this::reveal))
        .isInstanceOfSatisfying(ReidentificationRefusedException.class, e -> assertThat(e.rule()).isEqualTo(Rule.ALREADY_RESOLVED));
  }

  @Test
  void theRequesterCannotApproveAndNoCustodianCountsTwice() {
    ReidentificationRequest request = filed();
    assertRefused(() -> request.approve("reviewer-1", NOW), Rule.REQUESTER_CANNOT_APPROVE);
    request.approve("custodian-a", NOW);
    assertRefused(() -> request.approve("custodian-a", NOW), Rule.ALREADY_APPROVED_BY_CUSTODIAN);
    assertThat(request.status()).isEqualTo(Status.AWAITING_APPROVAL);
    assertRefused(() -> request.resolve("reviewer-1", NOW, this::reveal), Rule.NOT_APPROVED);
    request.approve("custodian-b", NOW);
    assertRefused(() -> request.approve("custodian-c", NOW), Rule.NOT_AWAITING_APPROVAL);
    assertRefused(() -> request.resolve("custodian-a", NOW, this::reveal), Rule.ONLY_REQUESTER_RESOLVES);
    assertThat(request.events()).filteredOn(e -> e.type() == Type.REFUSED).hasSize(5);
  }

  @Test
  void aStaleRequestExpiresAndCanNoLongerBeApprovedOrResolved() {
    ReidentificationRequest request = filed();
    request.approve("custodian-a", NOW.plus(Duration.ofDays(1)));
    request.approve("custodian-b", NOW.plus(Duration.ofDays(2)));
    assertRefused(() -> request.resolve("reviewer-1", NOW.plus(Duration.ofDays(7)), this::reveal), Rule.EXPIRED);
    assertThat(request.status()).isEqualTo(Status.EXPIRED);
    assertThat(request.events()).extracting(AuditEvent::type).endsWith(Type.EXPIRED, Type.REFUSED);

    ReidentificationRequest untouched = filed();
    assertThat(untouched.expireIfStale(NOW.plus(Duration.ofDays(6)))).isFalse();
    assertThat(untouched.expireIfStale(NOW.plus(Duration.ofDays(7)))).isTrue();
    assertRefused(() -> untouched.approve("custodian-a", NOW.plus(Duration.ofDays(8))), Rule.EXPIRED);
  }

  @Test
  void aRestoredRequestKeepsItsStateAndRecordsOnlyNewSteps() {
    ReidentificationRequest original = filed();
    original.approve("custodian-a", NOW);
    ReidentificationRequest restored = ReidentificationRequest.restore(original.id(), original.requester(), original.project(),
        original.extract(), original.pseudonyms(), original.legalBasis(), original.reason(), original.requestedAt(), original.expiresAt(),
        original.status(), original.approvals());
    assertThat(restored.events()).isEmpty();
    assertRefused(() -> restored.approve("custodian-a", NOW), Rule.ALREADY_APPROVED_BY_CUSTODIAN);
    restored.approve("custodian-b", NOW);
    assertThat(restored.status()).isEqualTo(Status.APPROVED);
    assertThat(restored.events()).extracting(AuditEvent::type).containsExactly(Type.REFUSED, Type.APPROVED);
  }

  @Test
  void aRejectionClosesTheRequest() {
    ReidentificationRequest request = filed();
    request.approve("custodian-a", NOW);
    request.reject("custodian-b", "the legal basis does not cover contacting the patient", NOW);
    assertThat(request.status()).isEqualTo(Status.REJECTED);
    assertRefused(() -> request.approve("custodian-c", NOW), Rule.NOT_AWAITING_APPROVAL);
    assertRefused(() -> request.resolve("reviewer-1", NOW, this::reveal), Rule.NOT_APPROVED);
  }

  @Test
  void auditEventsNameNoPersonAndNoPseudonym() {
    ReidentificationRequest request = filed();
    request.approve("custodian-a", NOW);
    request.approve("custodian-b", NOW);
    request.resolve("reviewer-1", NOW, this::reveal);
    assertThat(request.events()).allSatisfy(event -> {
      assertThat(event.toString()).doesNotContain(Long.toString(pseudonym)).doesNotContain(PERSON.unmaskedValue());
      assertThat(event.pseudonymCount()).isEqualTo(1);
      assertThat(event.request()).isEqualTo(request.id());
    });
  }

  @Test
  void refusesIncompleteOrMalformedRequests() {
    long layer1 = warehouse.pseudonym(PERSON);
    assertThatThrownBy(() -> ReidentificationRequest.file("r", PROJECT, EXTRACT, List.of(), "basis", "reason", NOW, Duration.ofDays(1)))
        .hasMessage("Cannot file the request: name 1 to 1000 project pseudonyms");
    assertThatThrownBy(() -> ReidentificationRequest.file("r", PROJECT, EXTRACT, List.of(layer1), "basis", "reason", NOW, Duration.ofDays(1)))
        .hasMessage("Cannot file the request: every pseudonym must be a project (layer-2) pseudonym");
    assertThatThrownBy(() -> ReidentificationRequest.file("r", PROJECT, EXTRACT, List.of(pseudonym), " ", "reason", NOW, Duration.ofDays(1)))
        .hasMessage("Cannot file the request: the legal basis must be given, at most 500 characters");
    assertThatThrownBy(() -> ReidentificationRequest.file("r", PROJECT, EXTRACT, List.of(pseudonym), "basis", null, NOW, Duration.ofDays(1)))
        .hasMessage("Cannot file the request: the reason must be given, at most 2000 characters");
    assertThatThrownBy(() -> ReidentificationRequest.file("r", PROJECT, EXTRACT, List.of(pseudonym), "basis", "reason", NOW, Duration.ofDays(31)))
        .hasMessage("Cannot file the request: it must expire within 30 days");
    List<Long> tooMany = java.util.stream.LongStream.range(0, 1001).map(i -> Pseudonyms.LAYER2_FIRST + i).boxed().toList();
    assertThatThrownBy(() -> ReidentificationRequest.file("r", PROJECT, EXTRACT, tooMany, "basis", "reason", NOW, Duration.ofDays(1)))
        .hasMessage("Cannot file the request: name 1 to 1000 project pseudonyms");
  }

  @Test
  void anApprovalWithoutAFittingShareAndAReleaseWhoseKeysDoNotOpenAreRefusedAndAudited() {
    ReidentificationRequest request = filed();
    assertRefused(() -> request.approve("custodian-a", NOW, () -> java.util.Optional.of(Rule.SHARE_NOT_ACCEPTED)), Rule.SHARE_NOT_ACCEPTED);
    assertThat(request.approvals()).isEmpty();
    request.approve("custodian-a", NOW, java.util.Optional::empty);
    assertRefused(() -> request.approve("custodian-b", NOW, () -> java.util.Optional.of(Rule.SHARE_GIVEN_ALREADY)), Rule.SHARE_GIVEN_ALREADY);
    assertThat(request.status()).isEqualTo(Status.AWAITING_APPROVAL);
    boolean[] opened = new boolean[1];
    request.approve("custodian-b", NOW, () -> {
      opened[0] = true;
      return java.util.Optional.empty();
    });
    assertThat(opened[0]).as("the share is checked after the other rules passed").isTrue();
    boolean[] asked = new boolean[1];
    assertRefused(() -> request.resolve("custodian-a", NOW, version -> true, () -> {
      asked[0] = true;
      return this::reveal;
    }), Rule.ONLY_REQUESTER_RESOLVES);
    assertThat(asked[0]).as("no keys are opened for a caller the rules refuse").isFalse();
    assertRefused(() -> request.resolve("reviewer-1", NOW, version -> true, () -> null), Rule.KEYS_DO_NOT_OPEN);
    assertThat(request.status()).isEqualTo(Status.APPROVED);
    assertThat(request.resolve("reviewer-1", NOW, version -> true, () -> this::reveal)).containsEntry(pseudonym, PERSON);
    assertThat(request.events()).extracting(AuditEvent::type).containsExactly(Type.REQUESTED, Type.REFUSED, Type.APPROVED,
        Type.REFUSED, Type.APPROVED, Type.REFUSED, Type.REFUSED, Type.RESOLVED);
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable step, Rule rule) {
    assertThatThrownBy(step).isInstanceOfSatisfying(ReidentificationRefusedException.class, e -> {
      assertThat(e.rule()).isEqualTo(rule);
      assertThat(e.getMessage()).isEqualTo("Re-identification refused: " + rule.explanation());
    });
  }

  @Test
  void aPseudonymIsRevealedOnlyUnderTheWarehouseKeyVersionItWasMadeWith() {
    ReidentificationRequest request = filed();
    request.approve("custodian-a", NOW);
    request.approve("custodian-b", NOW);
    assertRefused(() -> request.resolve("reviewer-1", NOW, version -> version == 2, () -> this::reveal), Rule.WAREHOUSE_KEY_VERSION_UNKNOWN);
    assertThat(request.status()).isEqualTo(Status.APPROVED);
    assertThat(request.resolve("reviewer-1", NOW, version -> version == 1, () -> this::reveal)).containsExactly(Map.entry(pseudonym, PERSON));
    assertThat(request.events()).extracting(AuditEvent::type)
        .containsExactly(Type.REQUESTED, Type.APPROVED, Type.APPROVED, Type.REFUSED, Type.RESOLVED);

    ReidentificationRequest unrecorded = ReidentificationRequest.restore(request.id(), "reviewer-1", PROJECT,
        ReidentificationRequest.Extract.unrecorded(), List.of(pseudonym), "basis", "reason", NOW, NOW.plusSeconds(600), Status.APPROVED,
        request.approvals());
    assertRefused(() -> unrecorded.resolve("reviewer-1", NOW, version -> true, () -> this::reveal), Rule.WAREHOUSE_KEY_VERSION_UNKNOWN);
    assertThatThrownBy(() -> ReidentificationRequest.file("r", PROJECT, ReidentificationRequest.Extract.unrecorded(), List.of(pseudonym),
        "basis", "reason", NOW, Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReidentificationRequest.Extract("EX-1", -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusedFilingIsAnAuditEventNamingNoPseudonym() {
    List<AuditEvent> audited = new java.util.ArrayList<>();
    ReidentificationRefusedException refused = ReidentificationRequest.refuseFiling("reviewer-1", PROJECT, 3,
        Rule.WAREHOUSE_KEY_VERSION_MISMATCH, NOW, audited::add);
    assertThat(refused.rule()).isEqualTo(Rule.WAREHOUSE_KEY_VERSION_MISMATCH);
    assertThat(audited).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo(Type.REFUSED);
      assertThat(event.actor()).isEqualTo("reviewer-1");
      assertThat(event.pseudonymCount()).isEqualTo(3);
      assertThat(event.note()).isEqualTo(Rule.WAREHOUSE_KEY_VERSION_MISMATCH.explanation());
    });
  }
}
