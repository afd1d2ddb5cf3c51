package optout.registry.audit;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import optout.platform.security.ApiAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The registry's re-key mapping for auditors only: after a warehouse key rotation the log keeps each event
 * as filed, under the version it was filed under, and this mapping (the {@code person_rekey} rows) places the
 * person of an event filed under an older version in a newer one. It is exactly the {@code rekeys.jsonl} that
 * {@code ./optout registry export-log} writes ({@link LogExport#rekeyLine}), so {@code docs/recompute-snapshot.py}
 * recomputes a snapshot made after a rotation from the log's openings. Pseudonyms of everyone who ever filed:
 * no other role may read it. Streamed from a database cursor, never held whole.
 */
@RestController
@Validated
@Tag(name = "transparency log")
class RekeyController {

  static final String REKEYS = "/api/v1/log/rekeys";
  static final String JSON_LINES = "application/x-ndjson";

  private final DataSource dataSource;

  RekeyController(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @GetMapping(REKEYS)
  @Operation(summary = "The re-key mapping into a warehouse key version (all versions without toVersion), one JSON object a line, as"
      + " export-log's rekeys.jsonl (auditors only: pseudonyms of people who filed)")
  ResponseEntity<StreamingResponseBody> rekeys(@RequestParam(required = false) @Min(2) @Max(1_000_000) Integer toVersion) {
    StreamingResponseBody body = out -> {
      try (Connection connection = dataSource.getConnection()) {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);  // PostgreSQL streams with a cursor only inside a transaction
        try (PreparedStatement query = connection.prepareStatement("select from_version, from_person, to_version, to_person from person_rekey"
            + (toVersion == null ? "" : " where to_version = ?") + " order by to_version, from_version, from_person")) {
          if (toVersion != null) {
            query.setInt(1, toVersion);
          }
          query.setFetchSize(10_000);
          Writer lines = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
          try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              lines.write(LogExport.rekeyLine(rows.getInt(1), rows.getLong(2), rows.getInt(3), rows.getLong(4)));
            }
          }
          lines.flush();
        } finally {
          connection.rollback();
          connection.setAutoCommit(autoCommit);
        }
      } catch (SQLException e) {
        throw new IOException("Cannot read the re-key mapping (" + e.getClass().getSimpleName() + ")", e);
      }
    };
    return ResponseEntity.ok().contentType(MediaType.parseMediaType(JSON_LINES)).header("Cache-Control", "no-store").body(body);
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization rekeyAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, REKEYS).hasAnyAuthority(authorities(AUDITOR));
    }
  }
}
