package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checkpoint text (c2sp.org/tlog-checkpoint): one encoding per checkpoint, nothing else accepted. */
class CheckpointTest {

  private static final String ROOT_BASE64 = "qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=";

  @Test
  void formatsTheThreeLinesAndExtensions() {
    Checkpoint checkpoint = new Checkpoint("example.com/log42", 42, Hash.fromBase64(ROOT_BASE64), List.of("ext one", "ext two"));
    assertThat(checkpoint.text()).isEqualTo("example.com/log42\n42\n" + ROOT_BASE64 + "\next one\next two\n");
    assertThat(Checkpoint.of("example.com/log42", new TreeHead(0, MerkleHashing.emptyRoot())).text())
        .isEqualTo("example.com/log42\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
  }

  @Test
  void parsingIsTheInverseOfFormatting() throws NoteException {
    Checkpoint checkpoint = new Checkpoint("nhi-optout.example/registry", Long.MAX_VALUE, MerkleVectors.root(8), List.of("x"));
    assertThat(Checkpoint.parse(checkpoint.text())).isEqualTo(checkpoint);
    assertThat(Checkpoint.parse(checkpoint.text()).treeHead()).isEqualTo(new TreeHead(Long.MAX_VALUE, MerkleVectors.root(8)));
  }

  /** Bodies published by others: the C2SP example, a sum.golang.org checkpoint, Tessera's parse test. */
  @Test
  void parsesPublishedCheckpointBodies() throws NoteException {
    Checkpoint c2sp = Checkpoint.parse(SignedNote.parse(NoteVectors.C2SP_CHECKPOINT_EXAMPLE).text());
    assertThat(c2sp.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(c2sp.size()).isEqualTo(20852163);
    assertThat(c2sp.rootHash().base64()).isEqualTo("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
    assertThat(c2sp.extensions()).isEmpty();

    Checkpoint go = Checkpoint.parse(SignedNote.parse(NoteVectors.SUM_GOLANG_ORG_CHECKPOINT_30055305).text());
    assertThat(go.origin()).isEqualTo("go.sum database tree");
    assertThat(go.size()).isEqualTo(30055305);

    // transparency-dev/trillian-tessera internal/parse/parse_test.go, "happy checkpoint".
    Checkpoint tessera = Checkpoint.parse("original.example.com\n42\n" + ROOT_BASE64 + "\n");
    assertThat(tessera.origin()).isEqualTo("original.example.com");
    assertThat(tessera.size()).isEqualTo(42);
    assertThat(tessera.rootHash()).isEqualTo(Hash.fromBase64(ROOT_BASE64));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      example.com\\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=            | the text must end in a newline
      example.com\\n42\\n                                                       | it needs an origin, a tree size and a root hash line, it has 2 lines
      42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n                      | it needs an origin, a tree size and a root hash line, it has 2 lines
      \\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n                   | the origin line is empty
      example.com\\n\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n          | the tree size line is empty
      example.com\\n42\\n\\n                                                    | the root hash line is empty
      example.com\\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n\\n      | extension line 1 is empty
      example.com\\n042\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n       | the tree size "042" is not canonical decimal (digits only, no sign, no leading zeros)
      example.com\\n00\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n        | the tree size "00" is not canonical decimal
      example.com\\n+42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n       | the tree size "+42" is not canonical decimal
      example.com\\n-42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n       | the tree size "-42" is not canonical decimal
      example.com\\n 42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n       | the tree size " 42" is not canonical decimal
      example.com\\n42 \\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n       | the tree size "42 " is not canonical decimal
      example.com\\n0x2a\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n      | the tree size "0x2a" is not canonical decimal
      example.com\\n４２\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n        | the tree size "４２" is not canonical decimal
      example.com\\n9223372036854775808\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n  | the tree size "9223372036854775808" is larger than 2^63-1, the most this log supports
      example.com\\n18446744073709551615\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n | the tree size "18446744073709551615" is larger than 2^63-1
      example.com\\n42\\nthisisnotright\\n                                      | the root hash "thisisnotright" is not canonical base64
      example.com\\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs\\n         | the root hash "qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs" is not canonical base64
      example.com\\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVct=\\n       | the root hash "qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVct=" is not canonical base64
      example.com\\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVl\\n           | the root hash has 30 bytes, a SHA-256 hash has 32
      example.com\\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcsA\\n        | the root hash has 33 bytes, a SHA-256 hash has 32
      example.com\\r\\n42\\r\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\r\\n | it contains the character U+000D
      example\\tcom\\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\n      | it contains the character U+0009
      example.com\\n42\\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\\next\\u0000\\n | it contains the character U+0000
      """)
  void refusesEveryOtherSpellingSayingWhy(String escapedText, String reason) {
    String text = escapedText.strip().replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t").replace("\\u0000", "\u0000");
    assertThatThrownBy(() -> Checkpoint.parse(text))
        .isInstanceOfSatisfying(NoteException.class, e -> assertThat(e.reason()).isEqualTo(NoteException.Reason.MALFORMED))
        .hasMessageStartingWith("Cannot parse checkpoint: " + reason.strip());
  }

  @Test
  void refusesToMakeACheckpointItCouldNotWriteBack() {
    Hash root = MerkleVectors.root(1);
    assertThatThrownBy(() -> new Checkpoint("", 1, root, List.of())).hasMessage("Cannot make a checkpoint: the origin is empty");
    assertThatThrownBy(() -> new Checkpoint("a\nb", 1, root, List.of())).hasMessage("Cannot make a checkpoint: the origin contains the character U+000A");
    assertThatThrownBy(() -> new Checkpoint("a", -1, root, List.of())).hasMessage("Cannot make a checkpoint: the tree size -1 is negative");
    assertThatThrownBy(() -> new Checkpoint("a", 1, root, List.of(""))).hasMessage("Cannot make a checkpoint: extension line 1 is empty");
    assertThatThrownBy(() -> new Checkpoint("a", 1, null, List.of())).hasMessage("Cannot make a checkpoint: the root hash is missing");
  }
}
