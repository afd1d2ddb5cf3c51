package optout.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The realm that ./optout imports (platform/keycloak/nhi-optout-realm.json) must match what the
 * services enforce, and must not open a way around the login page.
 */
class RealmFileTest {

  private static final Path REALM_FILE = Path.of("../keycloak/nhi-optout-realm.json");
  private static final List<String> SERVICE_CLIENTS = List.of("optout-registry", "optout-consent", "optout-portal", "optout-trust-centre");

  private final JsonNode realm = JsonMapper.builder().build().readTree(REALM_FILE.toFile());

  private List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }

  private Map<String, JsonNode> clients() {
    return list(realm.get("clients")).stream()
        .collect(Collectors.toMap(c -> c.get("clientId").asString(), Function.identity()));
  }

  @Test
  void definesExactlyThePlatformRoles() {
    assertThat(realm.get("realm").asString()).isEqualTo("nhi-optout");
    assertThat(list(realm.at("/roles/realm")).stream().map(r -> r.get("name").asString()))
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(PlatformRole.values()).map(PlatformRole::realmRole).toList());
  }

  @Test
  void hasADemoUserForEveryRoleAndTwoKeyCustodians() {
    Map<String, Long> usersPerRole = list(realm.get("users")).stream()
        .flatMap(u -> list(u.get("realmRoles")).stream().map(JsonNode::asString))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    for (PlatformRole role : PlatformRole.values()) {
      assertThat(usersPerRole.getOrDefault(role.realmRole(), 0L)).as(role.realmRole()).isPositive();
    }
    assertThat(usersPerRole.get("key-custodian")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void noClientAcceptsPasswordsOrImplicitFlow() {
    clients().forEach((id, client) -> {
      assertThat(client.path("directAccessGrantsEnabled").asBoolean(false)).as(id).isFalse();
      assertThat(client.path("implicitFlowEnabled").asBoolean(false)).as(id).isFalse();
    });
  }

  @Test
  void everyBrowserClientRequiresPkceAndNamedRedirects() {
    clients().values().stream().filter(c -> c.path("standardFlowEnabled").asBoolean(false)).forEach(client -> {
      String id = client.get("clientId").asString();
      assertThat(client.at("/attributes/pkce.code.challenge.method").asString()).as(id).isEqualTo("S256");
      assertThat(list(client.get("redirectUris"))).as(id).isNotEmpty()
          .allSatisfy(uri -> assertThat(uri.asString()).startsWith("http://localhost:"));
    });
    assertThat(clients().get("optout-web").get("publicClient").asBoolean()).isTrue();
  }

  @Test
  void pagesGetTokensForEveryServiceAndEachServiceHasAConfidentialClient() {
    List<String> webAudiences = list(clients().get("optout-web").get("protocolMappers")).stream()
        .filter(m -> m.get("protocolMapper").asString().equals("oidc-audience-mapper"))
        .map(m -> m.at("/config/included.client.audience").asString()).toList();
    assertThat(webAudiences).containsExactlyInAnyOrderElementsOf(SERVICE_CLIENTS);
    for (String service : SERVICE_CLIENTS) {
      JsonNode client = clients().get(service);
      assertThat(client.get("publicClient").asBoolean()).as(service).isFalse();
      assertThat(client.get("secret").asString()).as("documented local demo secret").endsWith("-local-demo-secret");
    }
  }

  @Test
  void thePortalsMailRelayMayOnlyViewUsers() {
    JsonNode client = clients().get("optout-portal-mailer");
    assertThat(client.get("publicClient").asBoolean()).isFalse();
    assertThat(client.get("serviceAccountsEnabled").asBoolean()).isTrue();
    assertThat(client.get("standardFlowEnabled").asBoolean()).isFalse();
    assertThat(client.get("secret").asString()).endsWith("-local-demo-secret");
    JsonNode account = list(realm.get("users")).stream()
        .filter(u -> u.path("serviceAccountClientId").asString("").equals("optout-portal-mailer")).findFirst().orElseThrow();
    assertThat(list(account.get("realmRoles"))).isEmpty();
    assertThat(account.get("clientRoles").toString()).isEqualTo("{\"realm-management\":[\"view-users\"]}");
  }

  @Test
  void thePortalsStatusWatchHoldsOnlyTheStatusReaderRole() {
    JsonNode client = clients().get("optout-portal-status");
    assertThat(client.get("publicClient").asBoolean()).isFalse();
    assertThat(client.get("serviceAccountsEnabled").asBoolean()).isTrue();
    assertThat(client.get("standardFlowEnabled").asBoolean()).isFalse();
    assertThat(client.get("secret").asString()).isEqualTo("optout-portal-status-local-demo-secret");
    JsonNode account = list(realm.get("users")).stream()
        .filter(u -> u.path("serviceAccountClientId").asString("").equals("optout-portal-status")).findFirst().orElseThrow();
    assertThat(list(account.get("realmRoles")).stream().map(JsonNode::asString)).containsExactly("status-reader");
    assertThat(account.path("clientRoles").isMissingNode() || account.path("clientRoles").isEmpty()).isTrue();
    assertThat(list(realm.get("users")).stream().filter(u -> !u.path("serviceAccountClientId").asString("").equals("optout-portal-status"))
        .flatMap(u -> list(u.get("realmRoles")).stream()).map(JsonNode::asString)).doesNotContain("status-reader");
  }

  @Test
  void theNationalIdIsReleasedThroughUserinfoOnlyAndOnlyAdminsSeeIt() {
    JsonNode mapper = list(clients().get("optout-web").get("protocolMappers")).stream()
        .filter(m -> m.at("/config/user.attribute").asString("").equals("national_id")).findFirst().orElseThrow();
    assertThat(mapper.at("/config/userinfo.token.claim").asString()).isEqualTo("true");
    assertThat(mapper.at("/config/access.token.claim").asString()).isEqualTo("false");
    assertThat(mapper.at("/config/id.token.claim").asString()).isEqualTo("false");
    String profile = realm.at("/components/org.keycloak.userprofile.UserProfileProvider/0/config/kc.user.profile.config/0").asString();
    JsonNode nationalId = list(JsonMapper.builder().build().readTree(profile).get("attributes")).stream()
        .filter(a -> a.get("name").asString().equals("national_id")).findFirst().orElseThrow();
    assertThat(nationalId.at("/permissions/view").toString()).isEqualTo("[\"admin\"]");
    assertThat(nationalId.at("/permissions/edit").toString()).isEqualTo("[\"admin\"]");
  }

  @Test
  void guardsLoginsAndTransport() {
    assertThat(realm.get("bruteForceProtected").asBoolean()).isTrue();
    assertThat(realm.get("sslRequired").asString()).isIn("external", "all");
    assertThat(realm.get("registrationAllowed").asBoolean()).isFalse();
    assertThat(realm.get("defaultLocale").asString()).isEqualTo("zh-TW");
  }
}
