package io.mcpsession.jdbc;

/**
 * The lease that lets one instance at a time sweep: held while it sweeps each interval, taken over by another
 * instance a minute after its holder stops renewing it.
 */
final class JdbcSweepLease {

    static final String NAME = "sweeper";

    static final long MILLIS = 60_000;

    private JdbcSweepLease() {
    }

}
