package optout.registry.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventLeafTest {

  private static final UUID ID = UUID.fromString("0d5c7a3e-1f2b-4c5d-8e9f-a0b1c2d3e4f5");
  private static final byte[] SALT = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  private static RegistryEvent event(Optional<RegistryEvent.Filer> filer) {
    return new RegistryEvent(ID, EventType.OPT_OUT_WITHDRAWN, 4_711L, SALT, new TreeSet<>(List.of("commercial-use", "academic-research")),
        Channel.COUNTER, Optional.empty(), new SignedDocument("consent-filing:CS-20261120-ABCDEFGHJK", "ab".repeat(32)),
        Instant.parse("2026-11-20T03:04:05.123456Z"), Instant.parse("2026-11-20T03:04:06Z"), "consent-service", filer);
  }

  private static String person() {
    return HexFormat.of().formatHex(EventLeaf.personCommitment(SALT, 4_711L));
  }

  @Test
  void anEventWithoutAFilerKeepsFormatOneByteForByte() {
    assertThat(new String(EventLeaf.encode(event(Optional.empty())), StandardCharsets.UTF_8)).isEqualTo("""
        nhi-optout-registry-event/1
        id 0d5c7a3e-1f2b-4c5d-8e9f-a0b1c2d3e4f5
        type opt-out-withdrawn
        person %s
        scopes academic-research,commercial-use
        channel counter
        proxy none
        document abababababababababababababababababababababababababababababababab
        effective 2026-11-20T03:04:05.123456Z
        recorded 2026-11-20T03:04:06Z
        filed-by consent-service
        """.formatted(person()));
  }

  @Test
  void anEventWithAFilerIsFormatTwoEndingInTheFilersPseudonym() {
    String pseudonym = "0123456789abcdef0123456789abcdef";
    assertThat(new String(EventLeaf.encode(event(Optional.of(new RegistryEvent.Filer("clerk", pseudonym)))), StandardCharsets.UTF_8))
        .isEqualTo("""
            nhi-optout-registry-event/2
            id 0d5c7a3e-1f2b-4c5d-8e9f-a0b1c2d3e4f5
            type opt-out-withdrawn
            person %s
            scopes academic-research,commercial-use
            channel counter
            proxy none
            document abababababababababababababababababababababababababababababababab
            effective 2026-11-20T03:04:05.123456Z
            recorded 2026-11-20T03:04:06Z
            filed-by consent-service
            filer clerk 0123456789abcdef0123456789abcdef
            """.formatted(person()));
  }

  @Test
  void aFilerIsARoleAndAPseudonymNeverAnAccount() {
    assertThatThrownBy(() -> new RegistryEvent.Filer("clerk", "6f1c2a1e-8d3b-4b57-9a43-0c3f1e2d4b5a"))
        .hasMessage("Cannot record a filer: the pseudonym must be 32 lower-case hex digits");
    assertThatThrownBy(() -> new RegistryEvent.Filer("auditor", "0123456789abcdef0123456789abcdef"))
        .hasMessage("Cannot record a filer: the role must be clerk or citizen");
  }
}
