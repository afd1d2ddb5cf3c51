package optout.registry.log;

/** Published signed-note and checkpoint vectors (values only; the code is ours). */
final class NoteVectors {

  private NoteVectors() {}

  static final String EM_DASH = "\u2014";

  // --- golang.org/x/mod, sumdb/note/note_test.go (TestNewVerifier, TestNewSigner, TestSign, TestOpen) and the
  // --- package documentation of sumdb/note/note.go.

  static final String PETER_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String PETER_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String ENOCH_VERIFIER_KEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

  static final String TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  static final String PETER_SIGNATURE_LINE = EM_DASH
      + " PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  static final String ENOCH_SIGNATURE_LINE = EM_DASH
      + " EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
  /** TestSign's expected output. */
  static final String PETER_SIGNED_NOTE = TEXT + "\n" + PETER_SIGNATURE_LINE;

  /** TestNewVerifier: a key of the wrong length, with its key ID adjusted to match. */
  static final String WRONG_LENGTH_VERIFIER_KEY = "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==";
  /** TestNewVerifier: an unknown signature type, with its key ID adjusted to match. */
  static final String UNKNOWN_ALGORITHM_VERIFIER_KEY = "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

  // --- The Go checksum database. Its verifier key: golang/go, src/cmd/go/internal/modfetch/key.go (knownGOSUMDB).

  static final String SUM_GOLANG_ORG_VERIFIER_KEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
  static final String SUM_GOLANG_ORG_ORIGIN = "go.sum database tree";

  /** Retrieved from https://sum.golang.org/latest on 2024-09-23; quoted in sigsum/sigsum-go, pkg/checkpoint/checkpoint_test.go (TestGoSumDBCheckpoint). */
  static final String SUM_GOLANG_ORG_CHECKPOINT_30055305 = "go.sum database tree\n"
      + "30055305\n"
      + "mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=\n"
      + "\n"
      + EM_DASH + " sum.golang.org Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWFJJYle3EJlDCrQ+y3A8=\n";

  /** A sum.golang.org checkpoint quoted in transparency-dev/trillian-tessera, internal/parse/parse_test.go (BenchmarkCheckpointUnsafe; final newline restored). */
  static final String SUM_GOLANG_ORG_CHECKPOINT_31700353 = "go.sum database tree\n"
      + "31700353\n"
      + "qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n"
      + "\n"
      + EM_DASH + " sum.golang.org Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo47fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/C8DJ87F61QqspBYwM=\n";

  // --- C2SP: c2sp.org/tlog-checkpoint and c2sp.org/signed-note (C2SP/C2SP, tlog-checkpoint.md and signed-note.md).

  /** The example of tlog-checkpoint.md (its key is not published, so only the syntax can be checked). */
  static final String C2SP_CHECKPOINT_EXAMPLE = "example.com/behind-the-sofa\n"
      + "20852163\n"
      + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
      + "\n"
      + EM_DASH + " example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

  /** The example of signed-note.md: a text with a blank line of its own, so the last blank line separates. */
  static final String C2SP_NOTE_EXAMPLE = "Ognuno sta solo sul cuor della terra\n"
      + "trafitto da un raggio di sole:\n"
      + "\n"
      + "ed \u00e8 subito sera.\n"
      + "\n"
      + EM_DASH + " quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
}
