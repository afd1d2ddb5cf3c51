package optout.consent.form;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one version of a form: every word on the form that is not the filing's own data, in
 * Traditional Chinese and English. A citizen signs this text, so it is versioned and never edited
 * once published: each form records the template's ID, version and the SHA-256 of the file's exact
 * bytes, and {@code templates/published.sha256} (the {@code sha256sum} format) lists every published
 * file with its hash. Loading refuses a file whose bytes differ from what was published, so a changed
 * text cannot reach a citizen under an old version number; auditors can check the files with
 * {@code sha256sum -c published.sha256}.
 *
 * <p>The file format is line based, UTF-8 with LF line ends (no byte-order mark, no CR): comment
 * lines start with {@code #}; header lines {@code template: ID}, {@code version: N} and optionally
 * {@code covers-all: SCOPE} come first; then sections {@code [name]}, each a list of pairs of lines, the
 * Traditional Chinese first and its English next, pairs separated by blank lines. The only
 * placeholders are {@code {page}} and {@code {pages}}.
 */
public final class FormTemplate {

  /** Form templates, by ID. */
  static final Set<String> FORM_IDS = Set.of(FormKind.OPT_OUT.templateId(), FormKind.WITHDRAWAL.templateId());
  /** The receipt's template ID. */
  public static final String RECEIPT_ID = "receipt";

  private static final String DIRECTORY = "templates/";
  private static final String MANIFEST = DIRECTORY + "published.sha256";
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern SECTION = Pattern.compile("\\[([a-z][a-z0-9]*([.-][a-z0-9]+)*)]");
  private static final Pattern HEADER = Pattern.compile("([a-z][a-z-]*):\\s*(\\S.*)");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
  private static final Set<String> PLACEHOLDERS = Set.of("page", "pages");
  private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-f]{64}) [ *](([a-z][a-z0-9-]*)-v([1-9][0-9]{0,5})\\.txt)");
  private static final String SCOPE_PREFIX = "scope.";

  private final String id;
  private final int version;
  private final byte[] bytes;
  private final String sha256;
  private final Optional<String> coversAll;
  private final Map<String, List<Bilingual>> sections;

  private FormTemplate(String id, int version, byte[] bytes, Optional<String> coversAll, Map<String, List<Bilingual>> sections) {
    this.id = id;
    this.version = version;
    this.bytes = bytes;
    this.sha256 = HexFormat.of().formatHex(sha256(bytes));
    this.coversAll = coversAll;
    this.sections = sections;
  }

  /**
   * The published template {@code id}, version {@code version}.
   *
   * @throws IllegalArgumentException if no such version was published
   * @throws IllegalStateException if the file on the class path differs from what was published
   */
  public static FormTemplate load(String id, int version) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("Cannot find the template: its ID must be lower-case words joined by hyphens");
    }
    Map<String, String> manifest = manifest();
    String file = id + "-v" + version + ".txt";
    String published = manifest.get(file);
    if (published == null) {
      throw new IllegalArgumentException("Cannot find template " + id + " version " + version + ": published versions of "
          + id + " are " + versions(manifest, id));
    }
    byte[] bytes = resource(DIRECTORY + file);
    if (bytes == null) {
      throw new IllegalStateException("Cannot load template " + file + ": it is published but missing from the class path");
    }
    return published(id, version, bytes, published);
  }

  /** The template in {@code bytes}, if they are exactly what was published as {@code id} version {@code version}. */
  static FormTemplate published(String id, int version, byte[] bytes, String publishedSha256) {
    String file = id + "-v" + version + ".txt";
    String actual = HexFormat.of().formatHex(sha256(bytes));
    if (!actual.equals(publishedSha256)) {
      throw new IllegalStateException("Cannot use template " + file + ": its SHA-256 " + actual
          + " differs from the published " + publishedSha256 + "; a changed text needs a new version");
    }
    FormTemplate template = parse(bytes);
    if (!template.id.equals(id) || template.version != version) {
      throw new IllegalStateException("Cannot use template " + file + ": it says it is " + template.id + " version " + template.version);
    }
    return template;
  }

  /**
   * The highest published version of template {@code id}: what new filings use.
   *
   * @throws IllegalArgumentException if no version of it was published
   */
  public static FormTemplate latest(String id) {
    List<Integer> versions = versions(manifest(), id);
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("Cannot find template " + id + ": no version of it is published");
    }
    return load(id, versions.get(versions.size() - 1));
  }

  /** Every published template, in the order of the manifest. */
  public static List<FormTemplate> published() {
    List<FormTemplate> all = new ArrayList<>();
    for (String file : manifest().keySet()) {
      Matcher entry = MANIFEST_LINE.matcher("0".repeat(64) + "  " + file);
      if (entry.matches()) {
        all.add(load(entry.group(3), Integer.parseInt(entry.group(4))));
      }
    }
    return List.copyOf(all);
  }

  public String id() {
    return id;
  }

  public int version() {
    return version;
  }

  /** SHA-256 of the file's exact bytes, lower-case hex: what the form records. */
  public String sha256() {
    return sha256;
  }

  /** The file's exact bytes, for the archive: hashing them gives {@link #sha256()}. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The scope codes this template offers, in the order the form lists them. */
  public List<String> scopes() {
    List<String> scopes = new ArrayList<>();
    for (String name : sections.keySet()) {
      if (name.startsWith(SCOPE_PREFIX)) {
        scopes.add(name.substring(SCOPE_PREFIX.length()));
      }
    }
    return List.copyOf(scopes);
  }

  /** The scope that covers every other one (e.g. {@code all-secondary-use}), if the template has one. */
  public Optional<String> coversAll() {
    return coversAll;
  }

  /**
   * The texts of section {@code name}, in order.
   *
   * @throws IllegalStateException if the template has no such section
   */
  public List<Bilingual> section(String name) {
    List<Bilingual> texts = sections.get(name);
    if (texts == null) {
      throw new IllegalStateException("Cannot use template " + id + " version " + version + ": it has no section [" + name + "]");
    }
    return texts;
  }

  /** The one text of section {@code name}. */
  public Bilingual text(String name) {
    return section(name).get(0);
  }

  /** The name of scope {@code code}. */
  public Bilingual scope(String code) {
    return text(SCOPE_PREFIX + code);
  }

  @Override
  public String toString() {
    return "FormTemplate[" + id + " v" + version + ", sha256 " + sha256 + "]";
  }

  /**
   * Reads a template file and checks its form; it does not check that the file was published.
   *
   * @throws IllegalArgumentException saying which line is wrong and why
   */
  static FormTemplate parse(byte[] bytes) {
    String text = decode(bytes);
    String id = null;
    Integer version = null;
    String coversAll = null;
    Map<String, List<Bilingual>> sections = new LinkedHashMap<>();
    String section = null;
    List<String> pending = new ArrayList<>();
    int pendingLine = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.startsWith("#")) {
        continue;
      }
      if (line.isEmpty()) {
        if (!pending.isEmpty()) {
          throw error(pendingLine, "a Traditional Chinese line must be followed by its English line");
        }
        continue;
      }
      Matcher sectionName = SECTION.matcher(line);
      if (sectionName.matches()) {
        if (!pending.isEmpty()) {
          throw error(pendingLine, "a Traditional Chinese line must be followed by its English line");
        }
        section = sectionName.group(1);
        if (sections.putIfAbsent(section, new ArrayList<>()) != null) {
          throw error(number, "section [" + section + "] appears twice");
        }
        continue;
      }
      if (section == null) {
        Matcher header = HEADER.matcher(line);
        if (!header.matches()) {
          throw error(number, "expected a header line such as 'template: opt-out' or a section such as [title]");
        }
        String value = header.group(2).strip();
        switch (header.group(1)) {
          case "template" -> {
            if (!ID.matcher(value).matches()) {
              throw error(number, "the template ID must be lower-case words joined by hyphens");
            }
            id = value;
          }
          case "version" -> {
            if (!value.matches("[1-9][0-9]{0,5}")) {
              throw error(number, "the version must be a positive whole number");
            }
            version = Integer.parseInt(value);
          }
          case "covers-all" -> coversAll = value;
          default -> throw error(number, "unknown header '" + header.group(1) + "'");
        }
        continue;
      }
      if (pending.isEmpty()) {
        if (!hasHan(line)) {
          throw error(number, "in [" + section + "] the Traditional Chinese line comes first, and it has no Chinese character");
        }
        pending.add(line);
        pendingLine = number;
      } else {
        if (hasHan(line)) {
          throw error(number, "in [" + section + "] the English line has Chinese characters: is a line missing?");
        }
        Bilingual pair = new Bilingual(pending.get(0), line);
        checkPlaceholders(pair, number);
        sections.get(section).add(pair);
        pending.clear();
      }
    }
    if (!pending.isEmpty()) {
      throw error(pendingLine, "a Traditional Chinese line must be followed by its English line");
    }
    if (id == null || version == null) {
      throw new IllegalArgumentException("Cannot read the template: the headers 'template:' and 'version:' are required");
    }
    for (Map.Entry<String, List<Bilingual>> entry : sections.entrySet()) {
      if (entry.getValue().isEmpty()) {
        throw new IllegalArgumentException("Cannot read template " + id + ": section [" + entry.getKey() + "] is empty");
      }
    }
    if (coversAll != null && !sections.containsKey(SCOPE_PREFIX + coversAll)) {
      throw new IllegalArgumentException("Cannot read template " + id + ": covers-all names " + coversAll + ", which has no [scope." + coversAll + "]");
    }
    Map<String, List<Bilingual>> frozen = new LinkedHashMap<>();
    sections.forEach((name, texts) -> frozen.put(name, List.copyOf(texts)));
    FormTemplate template = new FormTemplate(id, version, bytes.clone(), Optional.ofNullable(coversAll), Collections.unmodifiableMap(frozen));
    template.checkComplete();
    return template;
  }

  /** Every section the renderers read must be there, so a template fails when loaded, not mid-form. */
  private void checkComplete() {
    List<String> required = new ArrayList<>(List.of("issuer", "title", "footer.template", "footer.page"));
    if (FORM_IDS.contains(id)) {
      required.addAll(List.of("heading.particulars", "label.filing-id", "label.person", "label.filed-by", "value.self",
          "label.evidence", "label.channel", "label.signed-at", "heading.request", "declaration.self", "declaration.proxy",
          "declaration.common", "heading.signature", "label.signature.self",
          "label.signature.proxy", "label.seal", "notice.privacy"));
      for (Representative.Relation relation : Representative.Relation.values()) {
        required.add("relation." + relation.code());
      }
      for (Channel channel : Channel.values()) {
        required.add("channel." + channel.code());
      }
      if (coversAll.isPresent()) {
        required.add("note.covers-all");
      }
    } else if (RECEIPT_ID.equals(id)) {
      required.addAll(List.of("label.filing-id", "label.filing-type", "label.scopes", "label.signed-at", "label.code",
          "explanation.verify", "explanation.keep"));
      for (FormKind kind : FormKind.values()) {
        required.add("kind." + kind.templateId());
      }
    } else {
      throw new IllegalArgumentException("Cannot read template " + id + ": known templates are " + new TreeSet<>(FORM_IDS) + " and " + RECEIPT_ID);
    }
    if (scopes().isEmpty()) {
      throw new IllegalArgumentException("Cannot read template " + id + ": it offers no [scope.*] section");
    }
    List<String> missing = required.stream().filter(name -> !sections.containsKey(name)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("Cannot read template " + id + " version " + version + ": sections missing: " + missing);
    }
  }

  private static void checkPlaceholders(Bilingual pair, int line) {
    Set<String> zh = placeholders(pair.zh(), line);
    Set<String> en = placeholders(pair.en(), line);
    if (!zh.equals(en)) {
      throw error(line, "the Chinese and English texts must use the same placeholders, not " + zh + " and " + en);
    }
  }

  private static Set<String> placeholders(String text, int line) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    while (matcher.find()) {
      if (!PLACEHOLDERS.contains(matcher.group(1))) {
        throw error(line, "unknown placeholder {" + matcher.group(1) + "}; known ones are " + new TreeSet<>(PLACEHOLDERS));
      }
      names.add(matcher.group(1));
    }
    return names;
  }

  private static boolean hasHan(String line) {
    return line.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }

  private static String decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("Cannot read the template: it is empty");
    }
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
      throw new IllegalArgumentException("Cannot read the template: it starts with a byte-order mark; save it as UTF-8 without one");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("Cannot read the template: it is not valid UTF-8", e);
    }
    int cr = text.indexOf('\r');
    if (cr >= 0) {
      throw new IllegalArgumentException("Cannot read the template: it has a carriage return (CRLF line ends?); templates use LF only, "
          + "so that their bytes and hash are the same on every machine");
    }
    return text;
  }

  private static IllegalArgumentException error(int line, String reason) {
    return new IllegalArgumentException("Cannot read the template: line " + line + ": " + reason);
  }

  private static Map<String, String> manifest() {
    byte[] bytes = resource(MANIFEST);
    if (bytes == null) {
      throw new IllegalStateException("Cannot find the published templates: " + MANIFEST + " is missing from the class path");
    }
    Map<String, String> files = new LinkedHashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher entry = MANIFEST_LINE.matcher(line);
      if (!entry.matches()) {
        throw new IllegalStateException("Cannot read " + MANIFEST + ": a line is not '<sha256>  <id>-v<version>.txt'");
      }
      files.put(entry.group(2), entry.group(1));
    }
    return files;
  }

  private static List<Integer> versions(Map<String, String> manifest, String id) {
    List<Integer> versions = new ArrayList<>();
    for (String file : manifest.keySet()) {
      Matcher entry = MANIFEST_LINE.matcher("0".repeat(64) + "  " + file);
      if (entry.matches() && entry.group(3).equals(id)) {
        versions.add(Integer.parseInt(entry.group(4)));
      }
    }
    Collections.sort(versions);
    return versions;
  }

  private static byte[] resource(String name) {
    try (InputStream in = FormTemplate.class.getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name + " from the class path", e);
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
