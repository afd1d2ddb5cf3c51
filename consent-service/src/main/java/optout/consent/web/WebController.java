package optout.consent.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optout.consent.ConsentProperties;
import optout.consent.form.Bilingual;
import optout.consent.form.FormKind;
import optout.consent.form.FormTemplate;
import optout.pad.browser.BrowserCapture;
import optout.platform.security.ResourceServerProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the static pages (src/main/resources/static) need from the server besides the API: where to
 * sign in, the scopes and relations each form offers (from the published form templates, so a page
 * never offers what the form cannot print), and the pen capture component of the pad driver.
 */
@RestController
@Tag(name = "pages")
class WebController {

  static final String WEB_CONFIG = "/web-config";
  static final String PEN_CAPTURE = "/assets/pen-capture.js";

  /** A code with its names, zh-TW first. */
  record Choice(String code, String zh, String en) {}

  /** A paragraph of a form's text, zh-TW first. */
  record Paragraph(String zh, String en) {}

  /**
   * What a citizen signs, word for word as the form prints it: the declaration for themself or for someone
   * else, the paragraphs common to both, and the privacy notice. The page shows it before the signature
   * and sends back {@code sha256} (the template's) with the signature, so the service knows which text
   * was shown.
   */
  record Declaration(List<Paragraph> self, List<Paragraph> proxy, List<Paragraph> common, List<Paragraph> privacyNotice) {}

  /**
   * What one kind of form offers: its template (ID, version and SHA-256), its scopes in the form's order,
   * the scope that covers all, the relations of a representative, and the declaration.
   */
  record FormChoices(String template, int version, String sha256, List<Choice> scopes, String coversAll, List<Choice> relations,
      Declaration declaration) {}

  /**
   * @param issuer the Keycloak realm the pages sign in with (authorization code + PKCE)
   * @param clientId the realm's public client for pages
   * @param verificationBase where receipts send people to verify a code
   * @param forms by kind ({@code opt-out}, {@code withdrawal})
   */
  record WebConfig(String issuer, String clientId, URI verificationBase, Map<String, FormChoices> forms) {}

  private static final List<String> RELATIONS =
      List.of("parent-of-minor", "guardian-of-ward", "assistant-of-person-under-assistance");

  private final WebConfig config;

  WebController(ResourceServerProperties security, ConsentProperties properties) {
    Map<String, FormChoices> forms = new LinkedHashMap<>();
    for (FormKind kind : FormKind.values()) {
      FormTemplate template = FormTemplate.latest(kind.templateId());
      forms.put(kind.templateId(), new FormChoices(template.id(), template.version(), template.sha256(),
          template.scopes().stream().map(code -> choice(code, template.scope(code))).toList(),
          template.coversAll().orElse(null),
          RELATIONS.stream().map(code -> choice(code, template.text("relation." + code))).toList(),
          new Declaration(paragraphs(template, "declaration.self"), paragraphs(template, "declaration.proxy"),
              paragraphs(template, "declaration.common"), paragraphs(template, "notice.privacy"))));
    }
    this.config = new WebConfig(security.issuer().toString(), properties.web().clientId(), properties.web().verificationBase(),
        Collections.unmodifiableMap(forms));
  }

  private static List<Paragraph> paragraphs(FormTemplate template, String section) {
    return template.section(section).stream().map(text -> new Paragraph(text.zh(), text.en())).toList();
  }

  private static Choice choice(String code, Bilingual name) {
    return new Choice(code, name.zh(), name.en());
  }

  @GetMapping(value = WEB_CONFIG, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "What the pages need to sign in and to offer the forms' choices")
  ResponseEntity<WebConfig> webConfig() {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(config);
  }

  @GetMapping(PEN_CAPTURE)
  @Operation(summary = "The pen capture component (an ES module) that the online page signs with")
  ResponseEntity<byte[]> penCapture() {
    return ResponseEntity.ok().contentType(MediaType.parseMediaType(BrowserCapture.SCRIPT_MEDIA_TYPE)).body(BrowserCapture.script());
  }
}
