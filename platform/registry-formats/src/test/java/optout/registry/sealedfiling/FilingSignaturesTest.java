package optout.registry.sealedfiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.sealedfiling.FilingSignatureException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilingSignaturesTest {

  private static final Ed25519NoteSigner FILING_KEY = Ed25519NoteSigner.generate("test/consent-filing");
  private static final Ed25519NoteSigner OTHER_KEY = Ed25519NoteSigner.generate("test/consent-filing");

  private static final CanonicalFiling SIGNED = CanonicalFilingTest.proxyWithdrawal();

  private static CanonicalFiling with(UnaryOperator<Fields> change) {
    return change.apply(new Fields(SIGNED)).build();
  }

  /** A mutable copy of a filing's fields, to change one at a time. */
  private static final class Fields {
    String filingId;
    String type;
    byte[] person;
    TreeSet<String> scopes;
    String channel;
    Optional<CanonicalFiling.Proxy> proxy;
    Instant effectiveAt;
    String form;
    String role;
    String account;

    Fields(CanonicalFiling f) {
      filingId = f.filingId();
      type = f.type();
      person = f.person();
      scopes = new TreeSet<>(f.scopes());
      channel = f.channel();
      proxy = f.proxy();
      effectiveAt = f.effectiveAt();
      form = f.formSha256();
      role = f.filerRole();
      account = f.filerAccount();
    }

    Fields set(java.util.function.Consumer<Fields> change) {
      change.accept(this);
      return this;
    }

    CanonicalFiling build() {
      return new CanonicalFiling(filingId, type, person, scopes, channel, proxy, effectiveAt, form, role, account);
    }
  }

  @Test
  void aSignatureByATrustedKeyOverTheFilingVerifies() throws Exception {
    String lines = FilingSignatures.sign(SIGNED, FILING_KEY);
    assertThat(lines).startsWith("\u2014 test/consent-filing ").endsWith("\n");
    assertThat(FilingSignatures.verify(SIGNED, lines, List.of(OTHER_KEY.verifier(), FILING_KEY.verifier()))).hasSize(1);
    // Ed25519 is deterministic: a retried delivery sends the same bytes
    assertThat(FilingSignatures.sign(SIGNED, FILING_KEY)).isEqualTo(lines);
  }

  static Stream<Arguments> tamperings() {
    byte[] otherPerson = CanonicalFiling.personCommitment(CanonicalFilingTest.SALT, "B120000008");
    return Stream.of(
        Arguments.of("filing ID", (UnaryOperator<Fields>) f -> f.set(x -> x.filingId = "CS-20261120-ABCDEFGHJM")),
        Arguments.of("type", (UnaryOperator<Fields>) f -> f.set(x -> x.type = "opt-out-filed")),
        Arguments.of("person", (UnaryOperator<Fields>) f -> f.set(x -> x.person = otherPerson)),
        Arguments.of("a scope less", (UnaryOperator<Fields>) f -> f.set(x -> x.scopes.remove("commercial-use"))),
        Arguments.of("a scope more", (UnaryOperator<Fields>) f -> f.set(x -> x.scopes.add("all-secondary-use"))),
        Arguments.of("channel", (UnaryOperator<Fields>) f -> f.set(x -> x.channel = "counter")),
        Arguments.of("proxy relation", (UnaryOperator<Fields>) f -> f.set(x -> x.proxy = Optional.of(
            new CanonicalFiling.Proxy("guardian-of-ward", x.proxy.orElseThrow().evidenceReference())))),
        Arguments.of("proxy evidence", (UnaryOperator<Fields>) f -> f.set(x -> x.proxy = Optional.of(
            new CanonicalFiling.Proxy(x.proxy.orElseThrow().relation(), "consent-archive:sha256:" + "ce".repeat(32))))),
        Arguments.of("no proxy", (UnaryOperator<Fields>) f -> f.set(x -> x.proxy = Optional.empty())),
        Arguments.of("effective time", (UnaryOperator<Fields>) f -> f.set(x -> x.effectiveAt = x.effectiveAt.plusNanos(1000))),
        Arguments.of("form hash", (UnaryOperator<Fields>) f -> f.set(x -> x.form = "1".repeat(64))),
        Arguments.of("filer role", (UnaryOperator<Fields>) f -> f.set(x -> x.role = "citizen")),
        Arguments.of("filer account", (UnaryOperator<Fields>) f -> f.set(x -> x.account = "someone-else")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tamperings")
  void aSignatureOverAnotherFilingIsRefused(String field, UnaryOperator<Fields> change) {
    String lines = FilingSignatures.sign(SIGNED, FILING_KEY);
    CanonicalFiling tampered = with(change);
    assertThat(tampered.text()).isNotEqualTo(SIGNED.text());
    assertThatThrownBy(() -> FilingSignatures.verify(tampered, lines, List.of(FILING_KEY.verifier())))
        .isInstanceOfSatisfying(FilingSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_THIS_FILING))
        .hasMessage("Cannot verify a filing: the trusted key's signature is over another filing");
  }

  @Test
  void aSignatureByAnUntrustedKeyIsRefused() {
    String lines = FilingSignatures.sign(SIGNED, OTHER_KEY);
    assertThatThrownBy(() -> FilingSignatures.verify(SIGNED, lines, List.of(FILING_KEY.verifier())))
        .isInstanceOfSatisfying(FilingSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_KEY));
    assertThatThrownBy(() -> FilingSignatures.verify(SIGNED, lines, List.of()))
        .isInstanceOfSatisfying(FilingSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_KEY));
  }

  @Test
  void missingOrMalformedSignaturesAreRefused() {
    String lines = FilingSignatures.sign(SIGNED, FILING_KEY);
    for (String malformed : List.of("", "not a signature\n", lines.strip(), "\n" + lines, lines + "\n", lines.replace("\u2014", "-"))) {
      assertThatThrownBy(() -> FilingSignatures.verify(SIGNED, malformed, List.of(FILING_KEY.verifier())))
          .as(malformed)
          .isInstanceOfSatisfying(FilingSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }
    assertThatThrownBy(() -> FilingSignatures.verify(SIGNED, null, List.of(FILING_KEY.verifier())))
        .isInstanceOfSatisfying(FilingSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage("Cannot verify a filing: it has no signature");
  }
}
