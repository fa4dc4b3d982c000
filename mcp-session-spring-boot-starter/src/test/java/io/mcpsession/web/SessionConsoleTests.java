package io.mcpsession.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session console over real HTTP: the page, its script and styles, from the jar, under the API's base path and
 * the servlet context path, each with a Content-Security-Policy that lets no inline or foreign script run. What the
 * page does is tested in a browser ({@code console.test.mjs} of the sample app).
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.web.console.enabled=true", "mcp.session.web.base-path=/ops/sessions",
                "server.servlet.context-path=/app" })
class SessionConsoleTests extends WebTestSupport {

    private static final String CONSOLE = "/app/ops/sessions/console";

    @Test
    void thePageNamesTheApiAndItsOwnFilesUnderTheContextPath() {
        TestHttp.Response page = this.http.get(CONSOLE);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("data-base=\"/app/ops/sessions\"")
            .contains("<script src=\"/app/ops/sessions/console/console.js\" defer></script>")
            .contains("href=\"/app/ops/sessions/console/console.css\"")
            .doesNotContain("{{");
        assertSecured(page);
    }

    @Test
    void theScriptAndStylesAreServedFromTheJar() {
        TestHttp.Response script = this.http.get(CONSOLE + "/console.js");
        TestHttp.Response styles = this.http.get(CONSOLE + "/console.css");

        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).startsWith("text/javascript");
        assertThat(script.body()).contains("textContent").doesNotContain("innerHTML");
        assertSecured(script);
        assertThat(styles.status()).isEqualTo(200);
        assertThat(styles.contentType()).startsWith("text/css");
        assertThat(styles.body()).contains("prefers-color-scheme: dark").doesNotContain("@import", "url(http");
        assertSecured(styles);
    }

    @Test
    void nothingElseIsServedUnderTheConsole() {
        assertThat(this.http.get(CONSOLE + "/other.js").status()).isEqualTo(404);
        assertThat(this.http.get(CONSOLE + "/../../../etc/passwd").status()).isIn(400, 404);
    }

    private static void assertSecured(TestHttp.Response response) {
        assertThat(response.header("Content-Security-Policy")).isEqualTo(SessionConsoleController.CONTENT_SECURITY_POLICY)
            .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
            .doesNotContain("unsafe");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

}
