package io.mcpsession.testengines;

import org.jspecify.annotations.Nullable;
import org.testcontainers.mariadb.MariaDBContainer;

/**
 * The MariaDB of the tests: {@value #VARIABLE}, else 127.0.0.1:3306 (user {@code root} without a password,
 * database {@code test}) when it answers, else Testcontainers. No Maven artifact that ships a MariaDB server
 * resolves whole here, so there is no embedded step.
 */
public final class TestMariadb {

    /** The variable that names a test database, as a JDBC URL with its credentials. */
    public static final String VARIABLE = "MCP_SESSION_TEST_MARIADB_URL";

    static final String LOCAL_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

    private static final EngineSearch SEARCH = new EngineSearch("MariaDB", VARIABLE, LOCAL_URL,
            () -> JdbcProbe.answers(LOCAL_URL + "&connectTimeout=2000&socketTimeout=5000"), TestMariadb::container,
            null);

    private static @Nullable String url;

    private TestMariadb() {
    }

    /** The JDBC URL of the test database, credentials included; found once per JVM. */
    public static synchronized String jdbcUrl() {
        if (url == null) {
            url = SEARCH.find();
        }
        return url;
    }

    private static String container() {
        MariaDBContainer container = new MariaDBContainer("mariadb:10.11");
        container.start();
        return container.getJdbcUrl() + "?user=" + container.getUsername() + "&password=" + container.getPassword();
    }

}
