package io.mcpsession.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mcp.session.web.max-creates-per-minute}: a caller creating sessions faster than allowed gets
 * {@code 429 TOO_MANY_SESSIONS_CREATED} before anything reaches the store, while reads go on.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mcp.session.web.max-creates-per-minute=3")
class SessionCreationLimitTests extends WebTestSupport {

    @Test
    void aCallerCreatesAtMostMaxCreatesPerMinute() {
        int created = 0;
        TestHttp.Response refused = null;
        // A minute that ends mid-test lets three more through: never more than that.
        for (int attempt = 0; attempt < 8 && refused == null; attempt++) {
            TestHttp.Response response = this.http.postJson(BASE, "{}");
            if (response.status() == 201) {
                created++;
            }
            else {
                refused = response;
            }
        }

        assertThat(refused).as("a creation beyond the limit was refused").isNotNull();
        refused.expectProblem(429, "TOO_MANY_SESSIONS_CREATED");
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(created).isBetween(3, 6);
        this.http.get(BASE).expect(200);
    }

}
