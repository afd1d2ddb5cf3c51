package optout.pseudonymizer.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The custody contract on a real PKCS#11 token: SoftHSM2 (Debian package {@code softhsm2}, which
 * .ci/run installs). SoftHSM2 reads its tokens when the library is initialised, once per JVM, so the
 * class makes one token before that (Surefire points SOFTHSM2_CONF at target/softhsm/softhsm2.conf)
 * and every test empties it first.
 */
class Pkcs11CustodyTest extends KeyCustodyContractTest {

  static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
  private static final String PIN = "test-token-pin-2026";
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

  private static Path configuration;

  @BeforeAll
  static void createToken() throws Exception {
    String conf = System.getenv("SOFTHSM2_CONF");
    assertThat(conf).as("SOFTHSM2_CONF, set by Surefire").isNotBlank();
    assertThat(Path.of(LIBRARY)).as("SoftHSM2 is missing: apt-get install softhsm2").exists();
    Path tokens = Path.of(conf).resolveSibling("tokens");
    Files.createDirectories(tokens);
    Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    String label = "t" + UUID.randomUUID().toString().substring(0, 8);
    Process init = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label,
        "--pin", PIN, "--so-pin", "so-" + PIN).redirectErrorStream(true).start();
    String output = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(init.waitFor()).as(output).isZero();
    Matcher slot = SLOT.matcher(output);
    assertThat(slot.find()).as(output).isTrue();
    configuration = tokens.resolveSibling(label + ".cfg");
    Files.writeString(configuration, "name = " + label + "\nlibrary = " + LIBRARY + "\nslot = " + slot.group(1) + "\n");
  }

  @BeforeEach
  void emptyToken() throws Exception {
    KeyStore token = token(Security.getProvider("SunPKCS11").configure(configuration.toString()));
    for (String alias : Collections.list(token.aliases())) {
      token.deleteEntry(alias);
    }
  }

  /** Runs the pseudonymizer's command line in a new JVM against this token; returns exit code and output. */
  private static String command(String first, String second, String pin) throws Exception {
    ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "optout.pseudonymizer.cli.PseudonymizerCommand", first, second)
        .redirectErrorStream(true);
    process.environment().put("OPTOUT_PKCS11_CONFIG", configuration.toString());
    process.environment().put("OPTOUT_KEYSTORE_PASSWORD", pin);
    Process running = process.start();
    String output = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return "exit " + running.waitFor() + "\n" + output;
  }

  @Override
  KeyCustody newCustody() throws Exception {
    return KeyCustodies.openPkcs11(configuration, Passphrase.of(PIN.toCharArray()));
  }

  @Override
  KeyCustody reopen() throws Exception {
    return KeyCustodies.openPkcs11(configuration, Passphrase.of(PIN.toCharArray()));
  }

  private static KeyStore token(Provider provider) throws GeneralSecurityException, IOException {
    KeyStore token = KeyStore.getInstance("PKCS11", provider);
    token.load(null, PIN.toCharArray());
    return token;
  }

  @Override
  List<Cipher> everyRemainingAesKey() throws Exception {
    Provider provider = Security.getProvider("SunPKCS11").configure(configuration.toString());
    KeyStore token = token(provider);
    List<Cipher> ciphers = new ArrayList<>();
    for (String alias : Collections.list(token.aliases())) {
      Key key = token.getKey(alias, null);
      if (key.getAlgorithm().equals("AES")) {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding", provider);
        aes.init(Cipher.ENCRYPT_MODE, key);
        ciphers.add(aes);
      }
    }
    return ciphers;
  }

  @Test
  void keysAreGeneratedOnTheTokenAndCannotBeExtracted() throws Exception {
    try (KeyCustody custody = created()) {
      custody.createProjectKeys(DIABETES);
    }
    Provider provider = Security.getProvider("SunPKCS11").configure(configuration.toString());
    KeyStore token = token(provider);
    List<String> aliases = Collections.list(token.aliases());
    assertThat(aliases).containsExactlyInAnyOrder("warehouse.v1", "identity.v1", "project.nhird-2026-0042.pseudonym", "project.nhird-2026-0042.token");
    for (String alias : aliases) {
      Key key = token.getKey(alias, null);
      assertThat(key.getEncoded()).as(alias + " must not leave the token").isNull();
      // SunPKCS11 reads the key's CKA_TOKEN, CKA_SENSITIVE and CKA_EXTRACTABLE and names them here
      assertThat(key.toString()).as(alias).contains("token object", ", sensitive", "unextractable");
    }
  }

  /** McGrew and Viega's GCM test case 16 (256-bit key, 96-bit IV, AAD), run by the token itself. */
  @Test
  void theTokensAesGcmMatchesThePublishedVector() throws Exception {
    HexFormat hex = HexFormat.of();
    Provider provider = Security.getProvider("SunPKCS11").configure(configuration.toString());
    token(provider); // log in
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", provider);
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hex.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"), "AES"),
        new GCMParameterSpec(128, hex.parseHex("cafebabefacedbaddecaf888")));
    gcm.updateAAD(hex.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2"));
    byte[] sealed = gcm.doFinal(hex.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"));
    assertThat(gcm.getProvider()).isSameAs(provider);
    assertThat(hex.formatHex(sealed)).isEqualTo("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");
  }

  @Test
  void keysInitUpgradesATokenThatHasOnlyTheWarehouseKey() throws Exception {
    try (KeyCustody old = newCustody()) {
      old.createWarehouseKey();
    }
    assertThat(command("keys", "init", PIN)).startsWith("exit 0\n")
        .contains("upgraded the key custody (KeyCustody[Pkcs11TokenStorage]), which had no identity key: created identity.v1 (SEALED_PERSON_ID)");
    assertThat(command("keys", "init", PIN)).startsWith("exit 0\n").contains("is initialised already: nothing to do");
    assertThat(command("keys", "list", PIN)).startsWith("exit 0\n").contains("warehouse.v1", "identity.v1", "SEALED_PERSON_ID");
    try (KeyCustody custody = reopen()) {
      assertThat(custody.keys()).extracting(KeyInfo::id)
          .containsExactly("identity.v1", "project.nhi-warehouse.pseudonym", "project.nhi-warehouse.token", "warehouse.v1");
    }
  }

  @Test
  void theCommandLineUsesTheTokenAndAWrongPinIsRefused() throws Exception {
    created().close();
    // PKCS#11 keeps one login per process, so the PIN is checked in a process of its own, as a user runs it.
    assertThat(command("keys", "list", PIN)).startsWith("exit 0\n").contains("warehouse.v1", "WAREHOUSE_PSEUDONYM");
    assertThat(command("keys", "list", "not-the-pin-at-all")).startsWith("exit 1\n")
        .contains("error: Cannot log in to the PKCS#11 token: wrong PIN, or the token is not there");
    assertThatThrownBy(() -> KeyCustodies.openPkcs11(configuration.resolveSibling("missing.cfg"), Passphrase.of(PIN.toCharArray())))
        .hasMessageContaining("Cannot use PKCS#11: no SunPKCS11 configuration at");
  }
}
