package optout.consent.filing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.TreeSet;
import java.util.Set;
import optout.consent.form.Channel;
import optout.consent.form.FormKind;
import optout.pseudonymizer.id.PersonId;
import org.junit.jupiter.api.Test;

class DraftBookTest {

  private static final Draft.Owner CLERK = new Draft.Owner("clerk", "subject-1");
  private static final Draft.Owner OTHER = new Draft.Owner("clerk", "subject-2");

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-11-25T02:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static Draft open(DraftBook book, Draft.Owner owner) {
    return book.open(owner, Channel.COUNTER, FormKind.OPT_OUT, PersonId.parse("A123456789"), new TreeSet<>(Set.of("academic-research")),
        Optional.empty(), Optional.empty(), Optional.empty(), "nhi-card");
  }

  @Test
  void aDraftIsFoundOnlyByItsOwnerAndOnlyUntilItExpires() {
    MovableClock clock = new MovableClock();
    DraftBook book = new DraftBook(clock, Duration.ofMinutes(20), 3, 10);
    Draft draft = open(book, CLERK);
    assertThat(book.find(draft.id(), CLERK)).contains(draft);
    assertThat(book.find(draft.id(), OTHER)).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(20));
    assertThat(book.find(draft.id(), CLERK)).isEmpty();
    assertThat(draft.toString()).doesNotContain("A123456789");
  }

  @Test
  void draftsAreBoundedPerOwnerAndInTotal() {
    DraftBook book = new DraftBook(new MovableClock(), Duration.ofMinutes(20), 2, 3);
    open(book, CLERK);
    open(book, CLERK);
    assertThatThrownBy(() -> open(book, CLERK)).isInstanceOf(DraftStateException.class).hasMessageContaining("unfinished drafts");
    open(book, OTHER);
    assertThatThrownBy(() -> open(book, new Draft.Owner("citizen", "x"))).hasMessageContaining("as many drafts as it may");
  }

  @Test
  void aFiledDraftRefusesEverythingAndNamesItsFiling() {
    Draft draft = open(new DraftBook(new MovableClock(), Duration.ofMinutes(20), 2, 3), CLERK);
    draft.beginFiling();
    assertThatThrownBy(draft::beginFiling).hasMessageContaining("being filed");
    draft.endFiling("CS-20261125-AAAAAAAAAA");
    assertThatThrownBy(draft::beginFiling).isInstanceOfSatisfying(DraftStateException.class,
        refused -> assertThat(refused.filingId()).isEqualTo("CS-20261125-AAAAAAAAAA"));
    assertThatThrownBy(() -> draft.recordAttempt(Optional.empty(), java.util.List.of())).isInstanceOf(DraftStateException.class);
  }

  @Test
  void scopesAreCheckedAgainstTheFormAndEvidenceByItsOwnBytes() {
    assertThat(FilingService.checkScopes(FormKind.OPT_OUT, java.util.List.of("commercial-use", "academic-research")))
        .containsExactly("academic-research", "commercial-use");
    assertThatThrownBy(() -> FilingService.checkScopes(FormKind.OPT_OUT, java.util.List.of())).hasMessageStartingWith("scopes:");
    assertThatThrownBy(() -> FilingService.checkScopes(FormKind.OPT_OUT, java.util.List.of("all-secondary-use", "commercial-use")))
        .hasMessageContaining("alone");
    assertThatThrownBy(() -> FilingService.checkScopes(FormKind.WITHDRAWAL, java.util.List.of("nothing-like-it"))).hasMessageContaining("offers only");
    assertThat(FilingService.sniff("%PDF-1.7".getBytes())).contains("application/pdf");
    assertThat(FilingService.sniff(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0})).contains("image/jpeg");
    assertThat(FilingService.sniff("<html>".getBytes())).isEmpty();
    assertThat(FilingService.newFilingId(Instant.parse("2026-11-24T17:00:00Z"))).matches("CS-20261125-[A-Z2-7]{10}");
  }
}
