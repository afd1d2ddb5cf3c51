package optout.pseudonymizer.reidentify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import optout.pseudonymizer.reidentify.AuditChain.Linked;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private static List<Linked> chain(int length) {
    List<Linked> events = new ArrayList<>();
    byte[] previous = AuditChain.GENESIS;
    for (int i = 1; i <= length; i++) {
      AuditEvent event = new AuditEvent(AuditEvent.Type.APPROVED, UUID.randomUUID(), "custodian-" + i, "nhird-2026-0042", i,
          Instant.parse("2026-12-06T10:00:00.123456789Z").plusSeconds(i), "approval " + i);
      previous = AuditChain.link(previous, i, event);
      events.add(new Linked(i, event, previous));
    }
    return events;
  }

  @Test
  void anUntouchedChainVerifies() {
    AuditChain.Verification verification = AuditChain.verify(chain(5));
    assertThat(verification.valid()).isTrue();
    assertThat(verification.events()).isEqualTo(5);
    assertThat(AuditChain.verify(List.of()).valid()).isTrue();
  }

  @Test
  void aChangedEventBreaksTheChainThere() {
    List<Linked> events = chain(5);
    Linked third = events.get(2);
    AuditEvent event = third.event();
    events.set(2, new Linked(3, new AuditEvent(AuditEvent.Type.REJECTED, event.request(), event.actor(), event.project(),
        event.pseudonymCount(), event.at(), event.note()), third.hash()));
    AuditChain.Verification verification = AuditChain.verify(events);
    assertThat(verification.valid()).isFalse();
    assertThat(verification.brokenAt()).contains(3L);
    assertThat(verification.events()).isEqualTo(2);
  }

  @Test
  void aDeletedOrReorderedEventIsFound() {
    List<Linked> deleted = chain(5);
    deleted.remove(1);
    assertThat(AuditChain.verify(deleted).brokenAt()).contains(3L);
    List<Linked> first = chain(3);
    first.remove(0);
    assertThat(AuditChain.verify(first).valid()).as("the first event deleted").isFalse();
    List<Linked> swapped = chain(4);
    Linked second = swapped.get(1);
    swapped.set(1, swapped.get(2));
    swapped.set(2, second);
    assertThat(AuditChain.verify(swapped).valid()).isFalse();
    // Renumbering after a deletion does not help: each hash covers the one before it.
    List<Linked> renumbered = chain(5);
    renumbered.remove(1);
    List<Linked> closed = new ArrayList<>();
    for (int i = 0; i < renumbered.size(); i++) {
      closed.add(new Linked(i + 1, renumbered.get(i).event(), renumbered.get(i).hash()));
    }
    assertThat(AuditChain.verify(closed).brokenAt()).contains(2L);
  }

  @Test
  void timesCountInMicroseconds() {
    UUID request = UUID.randomUUID();
    Instant at = Instant.parse("2026-12-06T10:00:00.123456789Z");
    AuditEvent nanos = new AuditEvent(AuditEvent.Type.REQUESTED, request, "r", "p", 1, at, "n");
    AuditEvent micros = new AuditEvent(AuditEvent.Type.REQUESTED, request, "r", "p", 1, AuditChain.precision(at), "n");
    assertThat(AuditChain.link(AuditChain.GENESIS, 1, nanos)).isEqualTo(AuditChain.link(AuditChain.GENESIS, 1, micros));
  }
}
