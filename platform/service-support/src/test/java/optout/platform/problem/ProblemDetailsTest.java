package optout.platform.problem;

import static optout.platform.security.PlatformRole.CLERK;
import static optout.platform.security.PlatformRole.authorities;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import optout.platform.EnablePlatformService;
import optout.platform.security.ApiAuthorization;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error contract inside Spring MVC: validation failures and unexpected exceptions become problem
 * details that carry the request ID and never echo what the caller sent or what went wrong inside.
 * (Tokens are mocked here; the real Keycloak path is tested by every service's contract test.)
 */
@SpringBootTest(
    classes = ProblemDetailsTest.TestService.class,
    properties = {
      "spring.application.name=problem-test",
      "optout.security.issuer=http://localhost:1/realms/nhi-optout",
      "optout.security.audience=problem-test",
      "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
          + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
    })
@AutoConfigureMockMvc
class ProblemDetailsTest {

  private static final String NATIONAL_ID = "A123456789";

  @SpringBootApplication
  @EnablePlatformService
  static class TestService {
    @Bean
    ApiAuthorization testRules() {
      return rules -> rules.requestMatchers("/test/**").hasAnyAuthority(authorities(CLERK));
    }

    @Bean
    FilingController filingController() {
      return new FilingController();
    }
  }

  record Filing(@Pattern(regexp = "[A-Z][0-9]{9}", message = "must be a person identifier") String personId,
                @Pattern(regexp = "academic|statistics", message = "must be a known scope") String scope) {}

  @RestController
  static class FilingController {
    @PostMapping("/test/filings")
    String file(@Valid @RequestBody Filing filing) {
      return "ok";
    }

    @GetMapping("/test/failure")
    String failure() {
      throw new IllegalStateException("database password hunter2 rejected for " + NATIONAL_ID);
    }
  }

  @Autowired private MockMvc mvc;

  private static org.springframework.test.web.servlet.request.RequestPostProcessor clerk() {
    return jwt().authorities(new SimpleGrantedAuthority(CLERK.authority()));
  }

  @Test
  void invalidInputNamesFieldsAndRulesButNeverTheValues() throws Exception {
    mvc.perform(post("/test/filings").with(clerk()).header("X-Request-Id", "req-invalid-01")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"personId\":\"" + NATIONAL_ID + "x\",\"scope\":\"marketing-" + NATIONAL_ID + "\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("urn:nhi-optout:problem:invalid-request"))
        .andExpect(jsonPath("$.requestId").value("req-invalid-01"))
        .andExpect(jsonPath("$.errors[?(@.field == 'personId')].message").value("must be a person identifier"))
        .andExpect(jsonPath("$.errors[?(@.field == 'scope')].message").value("must be a known scope"))
        .andExpect(content().string(not(containsString(NATIONAL_ID))));
  }

  @Test
  void unreadableBodiesAreProblemsToo() throws Exception {
    mvc.perform(post("/test/filings").with(clerk()).contentType(MediaType.APPLICATION_JSON).content("{not json " + NATIONAL_ID))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.requestId").exists())
        .andExpect(content().string(not(containsString(NATIONAL_ID))));
  }

  @Test
  void unexpectedFailuresSayNothingButTheRequestId() throws Exception {
    mvc.perform(get("/test/failure").with(clerk()).header("X-Request-Id", "req-failure-01"))
        .andExpect(status().isInternalServerError())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("urn:nhi-optout:problem:internal-error"))
        .andExpect(jsonPath("$.requestId").value("req-failure-01"))
        .andExpect(header().string("X-Request-Id", "req-failure-01"))
        .andExpect(content().string(not(containsString("hunter2"))))
        .andExpect(content().string(not(containsString(NATIONAL_ID))))
        .andExpect(content().string(not(containsString("IllegalStateException"))));
  }

  @Test
  void wrongMethodIsAProblemNotAnHtmlPage() throws Exception {
    mvc.perform(get("/test/filings").with(clerk()))
        .andExpect(status().isMethodNotAllowed())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(405));
  }

  /** A map key is something the caller sent (it may be a national ID): field paths mask it and keep list indexes. */
  @Test
  void fieldPathsMaskMapKeysButKeepListIndexes() {
    org.assertj.core.api.Assertions.assertThat(ProblemDetailsAdvice.field("tables<K>[A123456789]")).isEqualTo("tables[…]");
    org.assertj.core.api.Assertions.assertThat(ProblemDetailsAdvice.field("tables[A123456789].<map key>")).isEqualTo("tables[…].<map key>");
    org.assertj.core.api.Assertions.assertThat(ProblemDetailsAdvice.field("cohort.diagnoses[0].<list element>")).isEqualTo("cohort.diagnoses[0].<list element>");
    org.assertj.core.api.Assertions.assertThat(ProblemDetailsAdvice.field("title")).isEqualTo("title");
  }
}
