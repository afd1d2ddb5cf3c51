package optout.pseudonymizer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import optout.pseudonymizer.identity.SealedPersonIdException.Reason;
import optout.pseudonymizer.id.PersonId;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** The sealer with fixed keys on the default provider (custody is tested on its own, on both storages). */
class IdentitySealerTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final PersonId PERSON = PersonId.parse("A123456789");
  private static final long PSEUDONYM = 13_997_691_646L;
  private static final long OTHER_PSEUDONYM = 13_997_691_647L;

  /** McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test case 16: 256-bit key, 96-bit IV, AAD. */
  private static final byte[] TC16_KEY = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  private static final byte[] TC16_IV = HEX.parseHex("cafebabefacedbaddecaf888");
  private static final byte[] TC16_PLAINTEXT = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  private static final byte[] TC16_AAD = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  private static final byte[] TC16_CIPHERTEXT_AND_TAG = HEX.parseHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");

  /**
   * Format 1 of A123456789 for pseudonym 13997691646 under identity key version 1 = the test case 16
   * key, with the test case 16 IV as nonce; the same bytes come out of OpenSSL (through Python's
   * {@code cryptography}, AESGCM). Frozen: a change to the layout or the associated data breaks this,
   * and must come with a new format version instead.
   */
  private static final String FROZEN_SEALED = "01" + "00000001" + "cafebabefacedbaddecaf888"
      + "ca2dc1e655e74dd5691f" + "0d47ad9b054ec1a09586975883a4c7fc";

  private static SecretKeySpec aes(byte[] key) {
    return new SecretKeySpec(key, "AES");
  }

  private static SecretKeySpec aes(int firstByte) {
    byte[] key = new byte[32];
    key[0] = (byte) firstByte;
    return aes(key);
  }

  private static IdentitySealer sealer(Map<Integer, SecretKeySpec> keys) throws GeneralSecurityException {
    return new IdentitySealer(keys, null);
  }

  /** AES-GCM of Bouncy Castle's lightweight API: an implementation independent of the JCE provider. */
  private static byte[] bouncyCastleGcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws Exception {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(encrypt, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
    byte[] output = new byte[gcm.getOutputSize(input.length)];
    int length = gcm.processBytes(input, 0, input.length, output, 0);
    length += gcm.doFinal(output, length);
    return Arrays.copyOf(output, length);
  }

  /** The associated data exactly as the class documentation describes it. */
  private static byte[] documentedAssociatedData(int format, int keyVersion, long pseudonym) {
    return ByteBuffer.allocate(33).put("nhi-sealed-person-id".getBytes(StandardCharsets.US_ASCII))
        .put((byte) format).putInt(keyVersion).putLong(pseudonym).array();
  }

  @Test
  void theAesGcmLayerMatchesThePublishedVector() throws Exception {
    Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
    jce.init(Cipher.ENCRYPT_MODE, aes(TC16_KEY), new GCMParameterSpec(128, TC16_IV));
    jce.updateAAD(TC16_AAD);
    assertThat(jce.doFinal(TC16_PLAINTEXT)).isEqualTo(TC16_CIPHERTEXT_AND_TAG);
    assertThat(bouncyCastleGcm(true, TC16_KEY, TC16_IV, TC16_AAD, TC16_PLAINTEXT)).isEqualTo(TC16_CIPHERTEXT_AND_TAG);
    assertThat(bouncyCastleGcm(false, TC16_KEY, TC16_IV, TC16_AAD, TC16_CIPHERTEXT_AND_TAG)).isEqualTo(TC16_PLAINTEXT);
  }

  @Test
  void aSealedValueIsStandardAesGcmOverTheDocumentedLayout() throws Exception {
    byte[] sealed = sealer(Map.of(1, aes(TC16_KEY))).seal(PERSON, PSEUDONYM);
    assertThat(sealed).hasSize(IdentitySealer.SEALED_LENGTH);
    assertThat(sealed[0]).isEqualTo((byte) 1);
    assertThat(Arrays.copyOfRange(sealed, 1, 5)).isEqualTo(new byte[] {0, 0, 0, 1});
    byte[] nonce = Arrays.copyOfRange(sealed, 5, 17);
    byte[] opened = bouncyCastleGcm(false, TC16_KEY, nonce, documentedAssociatedData(1, 1, PSEUDONYM), Arrays.copyOfRange(sealed, 17, 43));
    assertThat(new String(opened, StandardCharsets.US_ASCII)).isEqualTo(PERSON.unmaskedValue());

    // The other way: a value made from the documentation alone opens, and matches the frozen vector.
    byte[] made = ByteBuffer.allocate(43).put((byte) 1).putInt(1).put(TC16_IV)
        .put(bouncyCastleGcm(true, TC16_KEY, TC16_IV, documentedAssociatedData(1, 1, PSEUDONYM),
            PERSON.unmaskedValue().getBytes(StandardCharsets.US_ASCII))).array();
    assertThat(HEX.formatHex(made)).isEqualTo(FROZEN_SEALED);
    assertThat(sealer(Map.of(1, aes(TC16_KEY))).open(HEX.parseHex(FROZEN_SEALED), PSEUDONYM)).isEqualTo(PERSON);
  }

  @Test
  void everyKindOfIdRoundTrips() throws Exception {
    IdentitySealer sealer = sealer(Map.of(1, aes(1)));
    for (String id : List.of("A123456789", "F234567898", "A800000014", "AC01234567")) {
      PersonId person = PersonId.parse(id);
      byte[] sealed = sealer.seal(person, PSEUDONYM);
      assertThat(sealer.open(sealed, PSEUDONYM)).isEqualTo(person);
      assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(id).doesNotContain(id.substring(1));
    }
  }

  @Test
  void aValueCopiedToAnotherPersonsRowDoesNotOpen() throws Exception {
    IdentitySealer sealer = sealer(Map.of(1, aes(1)));
    byte[] sealed = sealer.seal(PERSON, PSEUDONYM);
    assertThatThrownBy(() -> sealer.open(sealed, OTHER_PSEUDONYM))
        .isInstanceOf(SealedPersonIdException.class)
        .hasMessage("Cannot open the sealed person ID: it was altered, or it was sealed for another pseudonym (copied from another row)")
        .extracting(e -> ((SealedPersonIdException) e).reason()).isEqualTo(Reason.NOT_AUTHENTIC);
  }

  @Test
  void everyFlippedBitIsRefused() throws Exception {
    IdentitySealer sealer = sealer(Map.of(1, aes(1)));
    byte[] sealed = sealer.seal(PERSON, PSEUDONYM);
    for (int i = 0; i < sealed.length; i++) {
      Reason expected = i == 0 ? Reason.UNKNOWN_FORMAT : i < 5 ? Reason.UNKNOWN_KEY_VERSION : Reason.NOT_AUTHENTIC;
      for (int bit = 0; bit < 8; bit++) {
        byte[] altered = sealed.clone();
        altered[i] ^= (byte) (1 << bit);
        Throwable thrown = catchThrowable(() -> sealer.open(altered, PSEUDONYM));
        assertThat(thrown).as("byte %d bit %d", i, bit).isInstanceOf(SealedPersonIdException.class);
        assertThat(((SealedPersonIdException) thrown).reason()).as("byte %d bit %d", i, bit).isEqualTo(expected);
      }
    }
    assertThat(sealer.open(sealed, PSEUDONYM)).isEqualTo(PERSON);
  }

  @Test
  void relabellingTheKeyVersionIsRefusedEvenIfTheCustodyHoldsThatVersion() throws Exception {
    byte[] sealed = sealer(Map.of(1, aes(1))).seal(PERSON, PSEUDONYM);
    byte[] relabelled = sealed.clone();
    relabelled[4] = 2;
    assertThatThrownBy(() -> sealer(Map.of(1, aes(1), 2, aes(1))).open(relabelled, PSEUDONYM))
        .isInstanceOf(SealedPersonIdException.class).hasMessageContaining("it was altered");
  }

  @Test
  void truncatedOrExtendedValuesAreRefused() throws Exception {
    IdentitySealer sealer = sealer(Map.of(1, aes(1)));
    byte[] sealed = sealer.seal(PERSON, PSEUDONYM);
    for (int length = 0; length <= 44; length++) {
      if (length == 43) {
        continue;
      }
      byte[] wrong = Arrays.copyOf(sealed, length);
      assertThatThrownBy(() -> sealer.open(wrong, PSEUDONYM)).as("length %d", length)
          .isInstanceOf(SealedPersonIdException.class)
          .hasMessage("Cannot open the sealed person ID: it has " + length + " bytes, and a sealed person ID has 43: truncated, or not a sealed person ID");
    }
  }

  @Test
  void anUnknownFormatIsRefused() throws Exception {
    IdentitySealer sealer = sealer(Map.of(1, aes(1)));
    byte[] sealed = sealer.seal(PERSON, PSEUDONYM);
    for (int format : new int[] {0, 2, 255}) {
      sealed[0] = (byte) format;
      assertThatThrownBy(() -> sealer.open(sealed, PSEUDONYM))
          .isInstanceOf(SealedPersonIdException.class)
          .hasMessage("Cannot open the sealed person ID: its format version is " + format + ", and this library reads version 1");
    }
  }

  @Test
  void anUnknownKeyVersionSaysWhichVersionsThereAre() throws Exception {
    byte[] sealed = sealer(Map.of(7, aes(7))).seal(PERSON, PSEUDONYM);
    assertThat(IdentitySealer.keyVersionOf(sealed)).isEqualTo(7);
    assertThatThrownBy(() -> sealer(Map.of(1, aes(1), 2, aes(2))).open(sealed, PSEUDONYM))
        .isInstanceOf(SealedPersonIdException.class)
        .hasMessage("Cannot open the sealed person ID: it was sealed with identity key version 7, which this custody does not hold"
            + " (it holds 1, 2): destroyed, or sealed elsewhere")
        .extracting(e -> ((SealedPersonIdException) e).reason()).isEqualTo(Reason.UNKNOWN_KEY_VERSION);
  }

  @Test
  void anotherCustodysKeyOfTheSameVersionDoesNotOpen() throws Exception {
    byte[] sealed = sealer(Map.of(1, aes(1))).seal(PERSON, PSEUDONYM);
    assertThatThrownBy(() -> sealer(Map.of(1, aes(2))).open(sealed, PSEUDONYM))
        .isInstanceOf(SealedPersonIdException.class).hasMessageContaining("it was altered");
  }

  @Test
  void everySealHasItsOwnNonce() throws Exception {
    IdentitySealer sealer = sealer(Map.of(1, aes(1)));
    Set<String> nonces = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      byte[] sealed = sealer.seal(PERSON, PSEUDONYM);
      assertThat(nonces.add(HEX.formatHex(sealed, 5, 17))).isTrue();
      if (i % 100 == 0) {
        assertThat(sealer.open(sealed, PSEUDONYM)).isEqualTo(PERSON);
      }
    }
  }

  @Test
  void rotationKeepsOldValuesOpenAndResealsThemUnderTheNewestKey() throws Exception {
    byte[] underV1 = sealer(Map.of(1, aes(1))).seal(PERSON, PSEUDONYM);
    IdentitySealer rotated = sealer(Map.of(1, aes(1), 2, aes(2)));
    assertThat(rotated.keyVersion()).isEqualTo(2);
    assertThat(rotated.open(underV1, PSEUDONYM)).isEqualTo(PERSON);
    assertThat(IdentitySealer.keyVersionOf(rotated.seal(PERSON, PSEUDONYM))).isEqualTo(2);

    byte[] resealed = rotated.reseal(underV1, PSEUDONYM, PSEUDONYM);
    assertThat(IdentitySealer.keyVersionOf(resealed)).isEqualTo(2);
    assertThat(sealer(Map.of(2, aes(2))).open(resealed, PSEUDONYM)).as("opens without v1").isEqualTo(PERSON);

    // Warehouse re-keying: the pseudonym changes, and the sealed ID follows it.
    byte[] rebound = rotated.reseal(underV1, PSEUDONYM, OTHER_PSEUDONYM);
    assertThat(rotated.open(rebound, OTHER_PSEUDONYM)).isEqualTo(PERSON);
    assertThatThrownBy(() -> rotated.open(rebound, PSEUDONYM)).isInstanceOf(SealedPersonIdException.class);
    assertThatThrownBy(() -> rotated.reseal(underV1, OTHER_PSEUDONYM, PSEUDONYM)).isInstanceOf(SealedPersonIdException.class);
  }

  @Test
  void misuseIsAnIllegalArgument() throws Exception {
    IdentitySealer sealer = sealer(Map.of(1, aes(1)));
    byte[] sealed = sealer.seal(PERSON, PSEUDONYM);
    assertThatThrownBy(() -> sealer.seal(null, PSEUDONYM)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot seal a person ID: none was given");
    assertThatThrownBy(() -> sealer.open(null, PSEUDONYM)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IdentitySealer.keyVersionOf(null)).isInstanceOf(IllegalArgumentException.class);
    for (long notLayer1 : new long[] {0, -PSEUDONYM, 9_999_999_999L, 20_000_000_000L, 28_937_349_656L}) {
      assertThatThrownBy(() -> sealer.seal(PERSON, notLayer1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot seal a person ID: it is bound to a warehouse (layer-1) pseudonym, an 11-digit number starting with 1");
      assertThatThrownBy(() -> sealer.open(sealed, notLayer1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> sealer.reseal(sealed, PSEUDONYM, notLayer1)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> sealer(Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot seal person IDs: there is no identity key");
    assertThatThrownBy(() -> sealer(Map.of(0, aes(1)))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdentitySealer(Map.of(1, new SecretKeySpec(new byte[32], "HmacSHA256")), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot seal person IDs: identity key versions start at 1 and need an AES key");
  }

  @Test
  void noMessageAndNoDescriptionContainsTheIdOrThePseudonym() throws Exception {
    IdentitySealer sealer = sealer(Map.of(1, aes(1), 3, aes(3)));
    byte[] sealed = sealer.seal(PERSON, PSEUDONYM);
    List<Throwable> failures = new ArrayList<>();
    failures.add(catchThrowable(() -> sealer.open(sealed, OTHER_PSEUDONYM)));
    failures.add(catchThrowable(() -> sealer.open(Arrays.copyOf(sealed, 20), PSEUDONYM)));
    failures.add(catchThrowable(() -> sealer(Map.of(1, aes(1))).open(sealed, PSEUDONYM)));
    failures.add(catchThrowable(() -> sealer(Map.of(3, aes(4))).open(sealed, PSEUDONYM)));
    failures.add(catchThrowable(() -> sealer.open(sealed, 28_937_349_656L)));
    failures.add(catchThrowable(() -> sealer.seal(PERSON, 28_937_349_656L)));
    byte[] format = sealed.clone();
    format[0] = 9;
    failures.add(catchThrowable(() -> sealer.open(format, PSEUDONYM)));
    List<String> texts = new ArrayList<>();
    for (Throwable failure : failures) {
      assertThat(failure).isNotNull();
      for (Throwable t = failure; t != null; t = t.getCause()) {
        texts.add(String.valueOf(t.getMessage()));
      }
    }
    texts.add(sealer.toString());
    assertThat(sealer.toString()).isEqualTo("IdentitySealer[AES-256-GCM, format 1, seals with identity key version 3, opens versions [1, 3], provider SunJCE]");
    for (String text : texts) {
      assertThat(text).doesNotContain("A123456789").doesNotContain("123456789")
          .doesNotContain(Long.toString(PSEUDONYM)).doesNotContain(Long.toString(OTHER_PSEUDONYM)).doesNotContain("28937349656")
          .doesNotContain(HEX.formatHex(sealed, 5, 17));
    }
  }
}
