package optout.registry.exclusion;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.DATA_RELEASER;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import optout.platform.security.ApiAuthorization;
import optout.registry.exemption.ExemptionGrants;
import optout.registry.transparency.CheckpointStore;
import optout.registry.transparency.PublishedCheckpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The bulk check, in the role of NHS England's "Check for National Data Opt-outs": a data releaser
 * posts the warehouse pseudonyms of a planned release, one per line, and a purpose; the answer lists,
 * one per line, those that may be used, as of the latest signed checkpoint (named in the
 * {@value #CHECKPOINT_HEADER} header so the release can record it). The pseudonyms are under the registry's
 * warehouse key version (the {@value #KEY_VERSION_HEADER} header); a {@code keyVersion} parameter naming
 * another is refused (409), since none of its pseudonyms would match. The input is read as it streams
 * in and checked whole before anything is answered: a bad line is a 400 naming its line number, never
 * half an answer. The output streams out.
 */
@RestController
@Tag(name = "bulk check")
class BulkCheckController {

  static final String PATH = "/api/v1/bulk-check";
  static final String CHECKPOINT_HEADER = "Registry-Checkpoint";
  static final String KEY_VERSION_HEADER = "Warehouse-Key-Version";
  /** A little over the 10 million lines a body of {@value #MAX_BODY} bytes can hold. */
  static final String MAX_BODY = "128MB";

  private final ExclusionSets exclusions;
  private final PublishedCheckpoints checkpoints;
  private final ExemptionGrants exemptions;

  BulkCheckController(ExclusionSets exclusions, PublishedCheckpoints checkpoints, ExemptionGrants exemptions) {
    this.exclusions = exclusions;
    this.checkpoints = checkpoints;
    this.exemptions = exemptions;
  }

  @PostMapping(value = PATH, consumes = "text/plain")
  @Operation(summary = "Which of these warehouse pseudonyms (one per line) may be used for a purpose")
  void check(@RequestParam String purpose, @RequestParam Optional<String> exemption, @RequestParam Optional<Integer> keyVersion,
      HttpServletRequest request, HttpServletResponse response, JwtAuthenticationToken caller) throws IOException {
    if (keyVersion.isPresent() && keyVersion.get() != exclusions.keyVersion()) {
      // pseudonyms of another warehouse key match no one here: answering would release every opted-out person
      throw new ResponseStatusException(HttpStatus.CONFLICT, "The registry's pseudonyms are under warehouse key version "
          + exclusions.keyVersion() + ", the request's under version " + keyVersion.get() + "; nothing was checked");
    }
    Optional<String> invoker = exemption.map(code -> exemptions.requireInvocable(code, caller));
    CheckpointStore.StoredCheckpoint checkpoint = checkpoints.latest()
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The log has no checkpoint yet"));
    long[] excluded = exclusions.excluded(purpose, exemption, checkpoint.treeSize());
    long[] asked = read(request.getInputStream());
    if (exemption.isPresent()) {
      exemptions.recordUse(exemption.get(), invoker.orElseThrow(), purpose, checkpoint.treeSize(), ExemptionGrants.Kind.BULK_CHECK);
    }
    response.setStatus(HttpStatus.OK.value());
    response.setContentType("text/plain;charset=US-ASCII");
    response.setHeader(CHECKPOINT_HEADER, Long.toString(checkpoint.treeSize()));
    response.setHeader(KEY_VERSION_HEADER, Integer.toString(exclusions.keyVersion()));
    try (OutputStream out = new BufferedOutputStream(response.getOutputStream(), 1 << 16)) {
      byte[] line = new byte[20];
      for (long pseudonym : asked) {
        if (Arrays.binarySearch(excluded, pseudonym) < 0) {
          int length = format(pseudonym, line);
          out.write(line, 0, length);
        }
      }
    }
  }

  /** Parses lines of 11-digit warehouse pseudonyms (first digit 1); blank lines are refused too. */
  static long[] read(InputStream in) throws IOException {
    long[] values = new long[1 << 16];
    int count = 0;
    long line = 1;
    long value = 0;
    int digits = 0;
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (b >= '0' && b <= '9' && digits < 11) {
          value = value * 10 + (b - '0');
          digits++;
        } else if (b == '\n') {
          values = add(values, count++, check(value, digits, line));
          line++;
          value = 0;
          digits = 0;
        } else if (b != '\r') {
          throw invalid(line);
        }
      }
    }
    if (digits > 0) {
      values = add(values, count++, check(value, digits, line));
    }
    return Arrays.copyOf(values, count);
  }

  private static long check(long value, int digits, long line) {
    if (digits != 11 || value < 10_000_000_000L || value > 19_999_999_999L) {
      throw invalid(line);
    }
    return value;
  }

  private static long[] add(long[] values, int index, long value) {
    long[] target = index == values.length ? Arrays.copyOf(values, values.length * 2) : values;
    target[index] = value;
    return target;
  }

  private static IllegalArgumentException invalid(long line) {
    return new IllegalArgumentException("Line " + line + " is not a warehouse pseudonym (11 digits, the first a 1); nothing was checked");
  }

  private static int format(long value, byte[] line) {
    byte[] digits = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, line, 0, digits.length);
    line[digits.length] = '\n';
    return digits.length + 1;
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization bulkCheckAccess() {
      return rules -> rules.requestMatchers(HttpMethod.POST, PATH).hasAnyAuthority(authorities(DATA_RELEASER, AUDITOR));
    }
  }
}
