package optout.registry.exclusion;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.DATA_RELEASER;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.stream.LongStream;
import optout.platform.security.ApiAuthorization;
import optout.registry.exemption.ExemptionGrants;
import optout.registry.snapshot.ExclusionSnapshot;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Exclusion snapshots for the warehouse: a data releaser asks for (purpose, checkpoint) and gets a
 * signed manifest and a Parquet file of the pseudonyms to exclude. The same request always gives the
 * same set (the log below a checkpoint never changes), so a snapshot is made once and served again. Its
 * pseudonyms are under the registry's current warehouse key version, or under an older one its custody still
 * holds when {@code keyVersion} asks for it (a project built before a rotation).
 */
@RestController
@Validated
@Tag(name = "exclusion snapshots")
class SnapshotController {

  static final String SNAPSHOTS = "/api/v1/snapshots";

  record SnapshotRequest(
      @NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{0,63}", message = "must be a scope code") String purpose,
      @Pattern(regexp = "[a-z][a-z0-9-]{0,63}", message = "must be a legal exemption code") String exemption,
      @Min(0) Long checkpoint,
      @Min(1) Integer keyVersion) {}

  record SnapshotView(String id, String purpose, String exemption, long checkpoint, int keyVersion, long count, String setSha256,
      String fileSha256, String manifest, String file) {}

  private final SnapshotService snapshots;
  private final ExemptionGrants exemptions;

  SnapshotController(SnapshotService snapshots, ExemptionGrants exemptions) {
    this.snapshots = snapshots;
    this.exemptions = exemptions;
  }

  @PostMapping(SNAPSHOTS)
  @Operation(summary = "Make (or find) the exclusion snapshot of a purpose at a checkpoint (default: the latest)")
  ResponseEntity<SnapshotView> create(@Valid @RequestBody SnapshotRequest request, JwtAuthenticationToken caller) throws IOException {
    Optional<String> exemption = Optional.ofNullable(request.exemption());
    Optional<String> invoker = exemption.map(code -> exemptions.requireInvocable(code, caller));
    SnapshotService.Made made = snapshots.make(request.purpose(), exemption, Optional.ofNullable(request.checkpoint()),
        Optional.ofNullable(request.keyVersion()));
    if (exemption.isPresent()) {
      exemptions.recordUse(exemption.get(), invoker.orElseThrow(), request.purpose(), made.manifest().description().checkpoint().size(),
          ExemptionGrants.Kind.SNAPSHOT);
    }
    return ResponseEntity.status(made.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view(made));
  }

  @GetMapping(value = SNAPSHOTS + "/{id}/manifest", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "A snapshot's signed manifest")
  String manifest(@PathVariable @Pattern(regexp = SnapshotService.ID_PATTERN) String id) throws IOException {
    return Files.readString(existing(snapshots.manifestFile(id)));
  }

  @GetMapping(value = SNAPSHOTS + "/{id}/file", produces = "application/vnd.apache.parquet")
  @Operation(summary = "A snapshot's Parquet file")
  Resource file(@PathVariable @Pattern(regexp = SnapshotService.ID_PATTERN) String id) {
    return new FileSystemResource(existing(snapshots.parquetFile(id)));
  }

  /**
   * The same values as the Parquet file, one decimal a line, ascending: for verifiers without a Parquet
   * reader (docs/recompute-snapshot.py). Nothing vouches for this text but the signed manifest's set hash,
   * which a verifier recomputes from it.
   */
  @GetMapping(value = SNAPSHOTS + "/{id}/pseudonyms", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "A snapshot's pseudonyms as text, one a line, ascending (check them against the manifest's set-sha256)")
  StreamingResponseBody pseudonyms(@PathVariable @Pattern(regexp = SnapshotService.ID_PATTERN) String id) {
    Path parquet = existing(snapshots.parquetFile(id));
    return out -> {
      try (LongStream values = ExclusionSnapshot.read(parquet);
          Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16)) {
        for (PrimitiveIterator.OfLong it = values.iterator(); it.hasNext(); ) {
          text.write(Long.toString(it.nextLong()));
          text.write('\n');
        }
      }
    };
  }

  private static Path existing(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such snapshot");
    }
    return file;
  }

  private static SnapshotView view(SnapshotService.Made made) {
    var manifest = made.manifest();
    var description = manifest.description();
    return new SnapshotView(made.id(), description.purpose(), description.exemptionCode(), description.checkpoint().size(),
        manifest.warehouseKeyVersion(), manifest.count(), manifest.setSha256().hex(), manifest.fileSha256().hex(), made.signedManifest(),
        SNAPSHOTS + "/" + made.id() + "/file");
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization snapshotAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.POST, SNAPSHOTS).hasAnyAuthority(authorities(DATA_RELEASER, AUDITOR))
          .requestMatchers(HttpMethod.GET, SNAPSHOTS + "/*/manifest", SNAPSHOTS + "/*/file", SNAPSHOTS + "/*/pseudonyms")
          .hasAnyAuthority(authorities(DATA_RELEASER, AUDITOR));
    }
  }
}
