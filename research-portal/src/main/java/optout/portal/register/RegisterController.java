package optout.portal.register;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public register (issue 17, item 3), for anyone without logging in: every approved project as JSON or CSV (with
 * its CSVW metadata), filtered or not, one project by its stable ID, and the dated signed snapshots with the key that
 * signs them. Read only: nothing here changes anything, and nothing names a person.
 */
@RestController
@Tag(name = "public register")
class RegisterController {

  static final String REGISTER = "/api/v1/register";
  static final String CSV = "/api/v1/register.csv";
  static final String CSV_METADATA = "/api/v1/register.csv-metadata.json";
  static final String FORMAT = "nhi-optout-public-register/1";
  static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
  static final MediaType CSVM = MediaType.parseMediaType("application/csvm+json");

  private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z-]{0,39}");
  private static final Pattern PROJECT = Pattern.compile("application-[1-9][0-9]{0,17}");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final List<String> STATUSES = List.of("approved", "active", "closed");
  private static final int MAX_TEXT = 100;

  private final PublicRegister register;
  private final RegisterSnapshots snapshots;
  private final Clock clock;

  RegisterController(PublicRegister register, RegisterSnapshots snapshots, Clock clock) {
    this.register = register;
    this.snapshots = snapshots;
    this.clock = clock;
  }

  /** The register as JSON: the filters applied, how many projects, and the projects. */
  record RegisterView(String format, Instant asOf, Map<String, Object> filters, int count, List<RegisterEntry> projects) {}

  @GetMapping(REGISTER)
  @SecurityRequirements
  @Operation(summary = "Every approved project (no login), filtered by purpose, organisation, status, text and approval dates")
  ResponseEntity<RegisterView> register(@RequestParam(required = false) String purpose, @RequestParam(required = false) String organisation,
      @RequestParam(required = false) String status, @RequestParam(required = false) String q,
      @RequestParam(required = false) String approvedFrom, @RequestParam(required = false) String approvedTo) {
    RegisterFilter filter = filter(purpose, organisation, status, q, approvedFrom, approvedTo);
    List<RegisterEntry> projects = register.all().stream().filter(filter::matches).toList();
    return ResponseEntity.ok().cacheControl(CacheControl.noCache())
        .body(new RegisterView(FORMAT, clock.instant(), applied(filter), projects.size(), projects));
  }

  @GetMapping(CSV)
  @SecurityRequirements
  @Operation(summary = "The register as CSV (RFC 4180, UTF-8; same filters), described by its CSVW metadata")
  ResponseEntity<String> csv(@RequestParam(required = false) String purpose, @RequestParam(required = false) String organisation,
      @RequestParam(required = false) String status, @RequestParam(required = false) String q,
      @RequestParam(required = false) String approvedFrom, @RequestParam(required = false) String approvedTo) {
    RegisterFilter filter = filter(purpose, organisation, status, q, approvedFrom, approvedTo);
    List<RegisterEntry> projects = register.all().stream().filter(filter::matches).toList();
    return ResponseEntity.ok().contentType(TEXT_CSV).cacheControl(CacheControl.noCache())
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"public-register.csv\"")
        .header(HttpHeaders.LINK, "<" + CSV_METADATA + ">; rel=\"describedby\"; type=\"application/csvm+json\"")
        .body(RegisterCsv.csv(projects));
  }

  @GetMapping(CSV_METADATA)
  @SecurityRequirements
  @Operation(summary = "The CSV's W3C CSV on the Web metadata: every column, its datatype, the primary key")
  ResponseEntity<Map<String, Object>> csvMetadata() {
    return ResponseEntity.ok().contentType(CSVM).cacheControl(CacheControl.noCache()).body(RegisterCsv.metadata("register.csv"));
  }

  @GetMapping(REGISTER + "/{id}")
  @SecurityRequirements
  @Operation(summary = "One approved project by its stable ID (application-<number>)")
  RegisterEntry project(@PathVariable String id) {
    if (!PROJECT.matcher(id).matches()) {
      throw invalid("id", "must be a project's ID such as application-12");
    }
    return register.find(id).orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found",
        "No approved project has this ID."));
  }

  @GetMapping(REGISTER + "/snapshots")
  @SecurityRequirements
  @Operation(summary = "The dated signed snapshots of the register, newest first")
  List<Map<String, Object>> snapshots() {
    return snapshots.list().stream().map(s -> {
      Map<String, Object> listed = new LinkedHashMap<>();
      listed.put("date", s.date().toString());
      listed.put("takenAt", s.takenAt());
      listed.put("projects", s.projects());
      listed.put("sha256", s.sha256());
      listed.put("signingKeySha256", s.keySha256());
      listed.put("content", REGISTER + "/snapshots/" + s.date());
      listed.put("signature", REGISTER + "/snapshots/" + s.date() + "/signature");
      return listed;
    }).toList();
  }

  @GetMapping(REGISTER + "/snapshots/{date}")
  @SecurityRequirements
  @Operation(summary = "A snapshot's exact bytes (canonical JSON); X-Content-SHA256 and X-Signature-Ed25519 say its hash and signature")
  ResponseEntity<byte[]> snapshot(@PathVariable String date) {
    RegisterSnapshots.Snapshot snapshot = snapshot(date, "date");
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
        .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePublic().immutable())
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"public-register-" + snapshot.date() + ".json\"")
        .header("X-Content-SHA256", snapshot.sha256()).header("X-Signature-Ed25519", snapshot.signature())
        .body(snapshot.content());
  }

  @GetMapping(REGISTER + "/snapshots/{date}/signature")
  @SecurityRequirements
  @Operation(summary = "A snapshot's Ed25519 signature: base64 of the 64 bytes, over the snapshot's exact bytes")
  ResponseEntity<String> signature(@PathVariable String date) {
    RegisterSnapshots.Snapshot snapshot = snapshot(date, "date");
    return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).cacheControl(CacheControl.noCache()).body(snapshot.signature() + "\n");
  }

  @GetMapping(REGISTER + "/signing-key")
  @SecurityRequirements
  @Operation(summary = "The register's signing key, public half (PEM, X.509 SubjectPublicKeyInfo, Ed25519)")
  ResponseEntity<String> signingKey() {
    String pem = snapshots.publicKeyPem().orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "no-signing-key",
        "No signing key", "This portal signs no register snapshots: no register key is configured."));
    return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).cacheControl(CacheControl.noCache()).body(pem);
  }

  private RegisterSnapshots.Snapshot snapshot(String date, String field) {
    if (!DATE.matcher(date).matches()) {
      throw invalid(field, "must be a date such as 2026-12-07");
    }
    LocalDate day;
    try {
      day = LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw invalid(field, "must be a date such as 2026-12-07");
    }
    return snapshots.find(day).orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "no-snapshot", "No snapshot",
        "No register snapshot was taken on this day."));
  }

  static RegisterFilter filter(String purpose, String organisation, String status, String q, String approvedFrom, String approvedTo) {
    purpose = blank(purpose);
    status = blank(status);
    if (purpose != null && !PURPOSE.matcher(purpose).matches()) {
      throw invalid("purpose", "must be a registry scope such as academic-research");
    }
    if (status != null && !STATUSES.contains(status)) {
      throw invalid("status", "must be approved, active or closed");
    }
    organisation = text(organisation, "organisation");
    q = text(q, "q");
    LocalDate from = date(approvedFrom, "approvedFrom");
    LocalDate to = date(approvedTo, "approvedTo");
    if (from != null && to != null && from.isAfter(to)) {
      throw invalid("approvedTo", "must not be before approvedFrom");
    }
    return new RegisterFilter(purpose, organisation, status, q, from, to);
  }

  private static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > MAX_TEXT || value.codePoints().anyMatch(Character::isISOControl)) {
      throw invalid(field, "must be at most " + MAX_TEXT + " characters of text");
    }
    return value.strip();
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static LocalDate date(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!DATE.matcher(value).matches()) {
      throw invalid(field, "must be a date such as 2026-12-07");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(field, "must be a date such as 2026-12-07");
    }
  }

  private static Map<String, Object> applied(RegisterFilter filter) {
    Map<String, Object> applied = new LinkedHashMap<>();
    applied.put("purpose", filter.purpose());
    applied.put("organisation", filter.organisation());
    applied.put("status", filter.status());
    applied.put("q", filter.text());
    applied.put("approvedFrom", filter.approvedFrom() == null ? null : filter.approvedFrom().toString());
    applied.put("approvedTo", filter.approvedTo() == null ? null : filter.approvedTo().toString());
    return applied;
  }

  /** A 400 naming the parameter and what it must be, never repeating the value (it could be anything). */
  private static org.springframework.web.ErrorResponseException invalid(String field, String message) {
    org.springframework.web.ErrorResponseException e = ProblemResponses.exception(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
        field + " " + message + ".");
    e.getBody().setProperty("errors", List.of(Map.of("field", field, "message", message)));
    return e;
  }
}
