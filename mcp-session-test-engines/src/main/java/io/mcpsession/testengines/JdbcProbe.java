package io.mcpsession.testengines;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Whether a database answers a query at a JDBC URL. */
final class JdbcProbe {

    private JdbcProbe() {
    }

    static boolean answers(String url) {
        try (Connection connection = DriverManager.getConnection(url)) {
            return connection.isValid(5);
        }
        catch (SQLException ex) {
            return false;
        }
    }

}
