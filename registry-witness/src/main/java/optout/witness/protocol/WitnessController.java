package optout.witness.protocol;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import optout.witness.WitnessProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP face of c2sp.org/tlog-witness: {@code POST /add-checkpoint} (submission prefix: the root), and
 * for monitors {@code GET /<hex SHA-256 of the origin>/checkpoint}; plus {@code GET /verifier-key}.
 * Logs say what was refused and why, never a key.
 */
@RestController
class WitnessController {

  private static final Logger log = LoggerFactory.getLogger(WitnessController.class);
  static final MediaType TLOG_SIZE = MediaType.parseMediaType("text/x.tlog.size");
  private static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");

  private final Witness witness;
  private final long maxBodySize;

  WitnessController(Witness witness, WitnessProperties properties) {
    this.witness = witness;
    this.maxBodySize = properties.maxBodySize().toBytes();
  }

  @PostMapping("/add-checkpoint")
  ResponseEntity<String> addCheckpoint(HttpServletRequest request) throws IOException {
    try {
      String cosignatures = witness.addCheckpoint(body(request));
      return ResponseEntity.ok().contentType(TEXT).body(cosignatures);
    } catch (WitnessRefusal refusal) {
      if (refusal.status() == WitnessRefusal.Status.CONFLICT) {
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(TLOG_SIZE).body(refusal.heldSize().getAsLong() + "\n");
      }
      if (refusal.status() == WitnessRefusal.Status.UNPROCESSABLE) {
        log.warn("Refused an inconsistent checkpoint, kept as evidence: {}", refusal.getMessage());
      } else {
        log.info("Refused a checkpoint ({}): {}", refusal.status().code(), refusal.getMessage());
      }
      return ResponseEntity.status(refusal.status().code()).contentType(TEXT).body(refusal.getMessage() + "\n");
    }
  }

  @GetMapping(value = "/{originHash:[0-9a-f]{64}}/checkpoint")
  ResponseEntity<String> latest(@PathVariable String originHash) throws IOException {
    return witness.latest(originHash).map(note -> ResponseEntity.ok().contentType(TEXT).body(note))
        .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(TEXT).body("This witness has cosigned no checkpoint of that log\n"));
  }

  @GetMapping("/verifier-key")
  ResponseEntity<String> verifierKey() {
    return ResponseEntity.ok().contentType(TEXT).body(witness.verifierKey() + "\n");
  }

  /** The body, refused (413) past the limit without reading further. */
  private byte[] body(HttpServletRequest request) throws IOException, WitnessRefusal {
    if (request.getContentLengthLong() > maxBodySize) {
      throw tooLarge();
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
      if (body.length > maxBodySize) {
        throw tooLarge();
      }
      return body;
    }
  }

  private WitnessRefusal tooLarge() {
    return WitnessRefusal.of(WitnessRefusal.Status.TOO_LARGE, "The request exceeds " + maxBodySize + " bytes");
  }
}
