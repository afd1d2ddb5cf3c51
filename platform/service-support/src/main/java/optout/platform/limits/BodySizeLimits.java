package optout.platform.limits;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code optout.http.max-body-size} (default 64KB: every JSON request of the platform is far smaller)
 * and {@code optout.http.body-limits}, larger limits for path prefixes that stream (e.g. a bulk check).
 */
@ConfigurationProperties("optout.http")
public record BodySizeLimits(DataSize maxBodySize, Map<String, DataSize> bodyLimits) {

  public BodySizeLimits {
    maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(64) : maxBodySize;
    bodyLimits = bodyLimits == null ? Map.of() : Map.copyOf(bodyLimits);
  }
}
