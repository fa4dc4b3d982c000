package io.mcpsession.benchmarks.driver;

import java.io.IOException;

import io.mcpsession.benchmarks.store.AppendWorkload;

/**
 * The HTTP append workload: clients append to a set of sessions with 1% duplicate ids, as the store benchmark
 * does, each request carrying the same body the no-op baseline receives.
 */
public final class HttpAppends {

    private final String[] sessionIds;

    private final AppendWorkload[] workloads;

    /** The no-op's own workloads, so that its ids never make an append's duplicate a fresh one. */
    private final AppendWorkload[] noopWorkloads;

    /**
     * Creates {@code sessions} sessions named {@code prefix-0…} and one workload per client.
     */
    public HttpAppends(int port, String prefix, int sessions, int clients) throws IOException {
        this.sessionIds = new String[sessions];
        try (HttpConnection connection = new HttpConnection(port)) {
            for (int i = 0; i < sessions; i++) {
                this.sessionIds[i] = prefix + "-" + i;
                Api.createSession(connection, this.sessionIds[i]);
            }
        }
        this.workloads = new AppendWorkload[clients];
        this.noopWorkloads = new AppendWorkload[clients];
        for (int c = 0; c < clients; c++) {
            this.workloads[c] = new AppendWorkload(c, sessions);
            this.noopWorkloads[c] = new AppendWorkload(c, sessions);
        }
    }

    /** The next append of {@code client}. */
    public byte[] append(int client) {
        AppendWorkload workload = this.workloads[client];
        workload.next();
        String body = Api.eventBody(workload.eventId(), AppendWorkload.TYPE, AppendWorkload.DATA);
        return Api.append(this.sessionIds[workload.session()], body);
    }

    /** The no-op POST with the body {@link #append(int)} would send, built the same way. */
    public byte[] noop(int client) {
        AppendWorkload workload = this.noopWorkloads[client];
        workload.next();
        return Api.noop(Api.eventBody(workload.eventId(), AppendWorkload.TYPE, AppendWorkload.DATA));
    }

}
