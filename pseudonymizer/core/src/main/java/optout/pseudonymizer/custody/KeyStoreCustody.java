package optout.pseudonymizer.custody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import optout.pseudonymizer.custody.KeyInfo.Purpose;
import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.identity.IdentitySealer;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.Pseudonyms;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectRecordKeys;
import optout.pseudonymizer.token.ProjectTokenizer;

/**
 * {@link KeyCustody} over a {@link KeyStore}: a BCFKS file or a PKCS#11 token. Entry aliases carry the
 * metadata: {@code warehouse.v<N>}, {@code identity.v<N>}, {@code project.<id>.pseudonym},
 * {@code project.<id>.token}, and {@code destroyed.<id>.<epoch-second>} for a project whose keys were
 * destroyed (a random key that is never used; the alias records when, because tokens keep no dates).
 */
final class KeyStoreCustody implements KeyCustody {

  private static final Pattern WAREHOUSE = Pattern.compile("warehouse\\.v(\\d+)");
  private static final Pattern IDENTITY = Pattern.compile("identity\\.v(\\d+)");
  private static final Pattern PROJECT = Pattern.compile("project\\.([a-z0-9-]+)\\.(pseudonym|token)");
  private static final Pattern DESTROYED = Pattern.compile("destroyed\\.([a-z0-9-]+)\\.(\\d+)");

  private final KeyStoreStorage storage;
  private final SecureRandom random = new SecureRandom();

  KeyStoreCustody(KeyStoreStorage storage) {
    this.storage = storage;
  }

  @Override
  public KeyInfo createWarehouseKey() throws GeneralSecurityException {
    return createNextVersion("warehouse", WAREHOUSE);
  }

  @Override
  public KeyInfo createIdentityKey() throws GeneralSecurityException {
    return createNextVersion("identity", IDENTITY);
  }

  /** Adds {@code <name>.v<N+1>}, an AES-256 key, where N is the newest version (0 if none). */
  private KeyInfo createNextVersion(String name, Pattern versioned) throws GeneralSecurityException {
    return modify(keyStore -> {
      int version = versions(keyStore, versioned).stream().max(Integer::compare).orElse(0) + 1;
      String alias = name + ".v" + version;
      store(keyStore, alias, generate("AES", 256));
      return info(keyStore, alias).orElseThrow();
    });
  }

  @Override
  public List<KeyInfo> createProjectKeys(ProjectId project) throws GeneralSecurityException {
    return modify(keyStore -> {
      if (tombstone(keyStore, project).isPresent()) {
        throw new GeneralSecurityException("Cannot create keys for project " + project
            + ": its keys were destroyed; a destroyed project is never revived, use a new project ID");
      }
      if (keyStore.containsAlias(projectAlias(project, "pseudonym"))) {
        throw new GeneralSecurityException("Cannot create keys for project " + project + ": it has keys already");
      }
      store(keyStore, projectAlias(project, "pseudonym"), generate("AES", 256));
      store(keyStore, projectAlias(project, "token"), generate("HmacSHA256", 256));
      return List.of(info(keyStore, projectAlias(project, "pseudonym")).orElseThrow(),
          info(keyStore, projectAlias(project, "token")).orElseThrow());
    });
  }

  @Override
  public KeyInfo destroyProjectKeys(ProjectId project) throws GeneralSecurityException {
    return modify(keyStore -> {
      if (!keyStore.containsAlias(projectAlias(project, "pseudonym"))) {
        throw unavailable(keyStore, project);
      }
      keyStore.deleteEntry(projectAlias(project, "pseudonym"));
      keyStore.deleteEntry(projectAlias(project, "token"));
      String tombstone = "destroyed." + project.value() + "." + Instant.now().getEpochSecond();
      store(keyStore, tombstone, generate("AES", 128));
      return info(keyStore, tombstone).orElseThrow();
    });
  }

  @Override
  public List<KeyInfo> keys() throws GeneralSecurityException {
    KeyStore keyStore = current();
    List<KeyInfo> keys = new ArrayList<>();
    for (String alias : Collections.list(keyStore.aliases())) {
      info(keyStore, alias).ifPresent(keys::add);
    }
    keys.sort(Comparator.comparing(KeyInfo::id));
    return keys;
  }

  @Override
  public WarehousePseudonymizer warehousePseudonymizer() throws GeneralSecurityException {
    int newest = versions(current(), WAREHOUSE).stream().max(Integer::compare)
        .orElseThrow(() -> new KeyUnavailableException("There is no warehouse key yet: create it with `./optout keys init`"));
    return warehousePseudonymizer(newest);
  }

  @Override
  public WarehousePseudonymizer warehousePseudonymizer(int version) throws GeneralSecurityException {
    Key key = key(current(), "warehouse.v" + version)
        .orElseThrow(() -> new KeyUnavailableException("There is no warehouse key version " + version));
    return new WarehousePseudonymizer(ff1(key, WarehousePseudonymizer.TWEAK), version);
  }

  @Override
  public IdentitySealer identitySealer() throws GeneralSecurityException {
    KeyStore keyStore = current();
    TreeMap<Integer, Key> keys = new TreeMap<>();
    for (int version : versions(keyStore, IDENTITY)) {
      key(keyStore, "identity.v" + version).ifPresent(key -> keys.put(version, key));
    }
    if (keys.isEmpty()) {
      throw new KeyUnavailableException("There is no identity key yet: add it with `./optout keys init`");
    }
    return new IdentitySealer(keys, storage.keyProvider());
  }

  @Override
  public ProjectPseudonymizer projectPseudonymizer(ProjectId project) throws GeneralSecurityException {
    KeyStore keyStore = current();
    Key key = key(keyStore, projectAlias(project, "pseudonym")).orElseThrow(() -> unavailable(keyStore, project));
    return new ProjectPseudonymizer(ff1(key, ProjectPseudonymizer.tweak(project)), project);
  }

  @Override
  public ProjectTokenizer projectTokenizer(ProjectId project) throws GeneralSecurityException {
    KeyStore keyStore = current();
    Key key = key(keyStore, projectAlias(project, "token")).orElseThrow(() -> unavailable(keyStore, project));
    Mac mac = storage.keyProvider() == null ? Mac.getInstance("HmacSHA256") : Mac.getInstance("HmacSHA256", storage.keyProvider());
    mac.init(key);
    return new ProjectTokenizer(mac);
  }

  /**
   * Copies the keys that reverse pseudonyms (every warehouse key version, every project's pseudonym
   * key) into {@code target}, leaving entries it has alone. For {@link ReidentificationKeys} only.
   */
  void copyReversingKeysTo(KeyStoreCustody target) throws GeneralSecurityException {
    copyTo(target, alias -> {
      Matcher project = PROJECT.matcher(alias);
      return WAREHOUSE.matcher(alias).matches()
          || (project.matches() && project.group(2).equals("pseudonym") && !project.group(1).equals(KeyCustodies.WAREHOUSE_TOKENS));
    });
  }

  /** Copies one duty's keys into {@code target}, and destroys there the projects the source destroyed (see {@link KeyCustodies#split}). */
  void copyDutyTo(KeyCustodies.Duty duty, KeyStoreCustody target) throws GeneralSecurityException {
    KeyStore source = current();
    java.util.Set<String> kept = new java.util.HashSet<>();
    java.util.Set<String> destroyed = new java.util.HashSet<>();
    for (String alias : Collections.list(source.aliases())) {
      Optional<KeyInfo> info = info(source, alias);
      if (info.map(KeyCustodies.Duty::of).filter(duty::equals).isPresent()) {
        kept.add(alias);
        if (info.get().purpose() == Purpose.DESTROYED_PROJECT) {
          destroyed.add(info.get().project().orElseThrow().value());
        }
      }
    }
    copyTo(target, kept::contains);
    // Only what the source destroyed goes: a key the copy has and the source lacks is otherwise kept.
    target.modify(keyStore -> {
      for (String alias : Collections.list(keyStore.aliases())) {
        Matcher project = PROJECT.matcher(alias);
        if (project.matches() && destroyed.contains(project.group(1))) {
          keyStore.deleteEntry(alias);
        }
      }
      return null;
    });
  }

  private void copyTo(KeyStoreCustody target, java.util.function.Predicate<String> wanted) throws GeneralSecurityException {
    KeyStore source = current();
    List<String> aliases = new ArrayList<>();
    for (String alias : Collections.list(source.aliases())) {
      if (wanted.test(alias)) {
        aliases.add(alias);
      }
    }
    List<SecretKey> keys = new ArrayList<>();
    for (String alias : aliases) {
      Key key = key(source, alias).orElseThrow();
      if (key.getEncoded() == null) {
        throw new KeyUnavailableException("Cannot copy " + alias + ": it is on a PKCS#11 token and never leaves it;"
            + " keep such keys on tokens of their own instead");
      }
      keys.add(new javax.crypto.spec.SecretKeySpec(key.getEncoded(), key.getAlgorithm()));
    }
    target.modify(keyStore -> {
      for (int i = 0; i < aliases.size(); i++) {
        if (!keyStore.containsAlias(aliases.get(i))) {
          target.store(keyStore, aliases.get(i), keys.get(i));
        }
      }
      return null;
    });
  }

  /** The projects whose pseudonym key this custody holds. */
  java.util.Set<ProjectId> projectsWithPseudonymKeys() throws GeneralSecurityException {
    java.util.Set<ProjectId> projects = new java.util.TreeSet<>(Comparator.comparing(ProjectId::value));
    for (String alias : Collections.list(current().aliases())) {
      Matcher project = PROJECT.matcher(alias);
      if (project.matches() && project.group(2).equals("pseudonym") && !project.group(1).equals(KeyCustodies.WAREHOUSE_TOKENS)) {
        projects.add(ProjectId.of(project.group(1)));
      }
    }
    return projects;
  }

  /** The warehouse key versions this custody holds. */
  java.util.Set<Integer> warehouseVersions() throws GeneralSecurityException {
    return new java.util.TreeSet<>(versions(current(), WAREHOUSE));
  }

  /**
   * The record-key key is HKDF-Expand(token key, "nhi-optout record keys v1" 0x00 project, 32): the token
   * key's HMAC runs where the key lives (on a token too), and the derived AES key only in this JVM. The
   * tokenizer's MAC inputs begin with the kind's ordinal (0 or 1), this one with 'n', so the two uses of
   * the token key never share an input.
   */
  @Override
  public ProjectRecordKeys projectRecordKeys(ProjectId project) throws GeneralSecurityException {
    KeyStore keyStore = current();
    Key key = key(keyStore, projectAlias(project, "token")).orElseThrow(() -> unavailable(keyStore, project));
    Mac mac = storage.keyProvider() == null ? Mac.getInstance("HmacSHA256") : Mac.getInstance("HmacSHA256", storage.keyProvider());
    mac.init(key);
    byte[] derived = Hkdf.expand(mac, ("nhi-optout record keys v1\0" + project.value()).getBytes(StandardCharsets.UTF_8), 32);
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derived, "AES"));
      return new ProjectRecordKeys(aes, project);
    } finally {
      Arrays.fill(derived, (byte) 0);
    }
  }

  @Override
  public void close() {
    storage.close();
  }

  @Override
  public String toString() {
    return "KeyCustody[" + storage.getClass().getSimpleName() + "]";
  }

  private Ff1Radix10 ff1(Key key, byte[] tweak) throws GeneralSecurityException {
    Cipher aes = storage.keyProvider() == null
        ? Cipher.getInstance("AES/ECB/NoPadding")
        : Cipher.getInstance("AES/ECB/NoPadding", storage.keyProvider());
    aes.init(Cipher.ENCRYPT_MODE, key);
    return new Ff1Radix10(aes, Pseudonyms.DOMAIN_DIGITS, tweak);
  }

  private SecretKey generate(String algorithm, int bits) throws GeneralSecurityException {
    KeyGenerator generator = storage.keyProvider() == null
        ? KeyGenerator.getInstance(algorithm)
        : KeyGenerator.getInstance(algorithm, storage.keyProvider());
    generator.init(bits, random);
    return generator.generateKey();
  }

  private void store(KeyStore keyStore, String alias, SecretKey key) throws GeneralSecurityException {
    keyStore.setEntry(alias, new KeyStore.SecretKeyEntry(key), storage.protection());
  }

  private Optional<Key> key(KeyStore keyStore, String alias) throws GeneralSecurityException {
    if (!keyStore.containsAlias(alias)) {
      return Optional.empty();
    }
    KeyStore.Entry entry = keyStore.getEntry(alias, storage.protection());
    return entry instanceof KeyStore.SecretKeyEntry secret ? Optional.of(secret.getSecretKey()) : Optional.empty();
  }

  private static KeyUnavailableException unavailable(KeyStore keyStore, ProjectId project) {
    try {
      Optional<Instant> destroyed = tombstone(keyStore, project);
      if (destroyed.isPresent()) {
        return new KeyUnavailableException("Project " + project + " has no keys: they were destroyed at "
            + destroyed.get() + "; its pseudonyms can no longer be produced or reversed");
      }
    } catch (GeneralSecurityException e) {
      // fall through to the plain answer
    }
    return new KeyUnavailableException("Project " + project + " has no keys: create them with `./optout keys project-create`");
  }

  /** When the project's keys were destroyed, if they were. */
  private static Optional<Instant> tombstone(KeyStore keyStore, ProjectId project) throws GeneralSecurityException {
    for (String alias : Collections.list(keyStore.aliases())) {
      Matcher destroyed = DESTROYED.matcher(alias);
      if (destroyed.matches() && destroyed.group(1).equals(project.value())) {
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(destroyed.group(2))));
      }
    }
    return Optional.empty();
  }

  /** The versions N of the entries {@code <name>.v<N>} that {@code versioned} matches. */
  private static List<Integer> versions(KeyStore keyStore, Pattern versioned) throws GeneralSecurityException {
    List<Integer> versions = new ArrayList<>();
    for (String alias : Collections.list(keyStore.aliases())) {
      Matcher matcher = versioned.matcher(alias);
      if (matcher.matches()) {
        versions.add(Integer.parseInt(matcher.group(1)));
      }
    }
    return versions;
  }

  private static Optional<KeyInfo> info(KeyStore keyStore, String alias) throws GeneralSecurityException {
    Optional<Instant> at = creation(keyStore, alias);
    Matcher warehouse = WAREHOUSE.matcher(alias);
    if (warehouse.matches()) {
      return Optional.of(new KeyInfo(alias, Purpose.WAREHOUSE_PSEUDONYM, Optional.empty(), Integer.parseInt(warehouse.group(1)), at));
    }
    Matcher identity = IDENTITY.matcher(alias);
    if (identity.matches()) {
      return Optional.of(new KeyInfo(alias, Purpose.SEALED_PERSON_ID, Optional.empty(), Integer.parseInt(identity.group(1)), at));
    }
    Matcher project = PROJECT.matcher(alias);
    if (project.matches()) {
      Purpose purpose = project.group(2).equals("pseudonym") ? Purpose.PROJECT_PSEUDONYM : Purpose.PROJECT_TOKEN;
      return Optional.of(new KeyInfo(alias, purpose, Optional.of(ProjectId.of(project.group(1))), 1, at));
    }
    Matcher destroyed = DESTROYED.matcher(alias);
    if (destroyed.matches()) {
      Optional<Instant> when = Optional.of(Instant.ofEpochSecond(Long.parseLong(destroyed.group(2))));
      return Optional.of(new KeyInfo(alias, Purpose.DESTROYED_PROJECT, Optional.of(ProjectId.of(destroyed.group(1))), 0, when));
    }
    return Optional.empty();
  }

  private static Optional<Instant> creation(KeyStore keyStore, String alias) throws GeneralSecurityException {
    try {
      return Optional.ofNullable(keyStore.getCreationDate(alias)).map(java.util.Date::toInstant);
    } catch (java.security.ProviderException e) {
      return Optional.empty(); // PKCS#11 tokens keep no creation dates
    }
  }

  private static String projectAlias(ProjectId project, String purpose) {
    return "project." + project.value() + "." + purpose;
  }

  private KeyStore current() throws GeneralSecurityException {
    try {
      return storage.current();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the keystore", e);
    }
  }

  private <T> T modify(KeyStoreStorage.Change<T> change) throws GeneralSecurityException {
    try {
      return storage.modify(change);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the keystore", e);
    }
  }
}
