package io.mcpsession.web;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;

import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mcp.session.web.enabled=false} removes the HTTP API and keeps the store (SPEC §8).
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mcp.session.web.enabled=false")
class WebDisabledTests extends WebTestSupport {

    @Autowired
    ApplicationContext context;

    @Autowired
    SessionStore store;

    @Test
    void theApiIsGone() {
        assertThat(this.context.getBeanNamesForType(SessionApiController.class)).isEmpty();
        assertThat(this.context.getBeanNamesForType(SessionStreams.class)).isEmpty();
        assertThat(this.http.get(BASE).status()).isEqualTo(404);
        assertThat(this.http.get(BASE + "/some-id").status()).isEqualTo(404);
        assertThat(this.http.get(BASE + "/feed").status()).isEqualTo(404);
        int created = this.http.send("POST", BASE, null, null).status();
        assertThat(created).isIn(404, 405);
        assertThat(this.store.list(null, 10).sessions()).as("nothing was created").isEmpty();
    }

}
