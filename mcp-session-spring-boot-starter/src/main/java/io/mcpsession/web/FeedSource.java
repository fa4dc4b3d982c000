package io.mcpsession.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.Cursor;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.Limits;
import io.mcpsession.core.PrincipalScope;
import io.mcpsession.sse.SseFrames;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.Subscription;

/**
 * The global feed as an SSE stream, optionally filtered by entry type and session, showing the entries of one
 * principal's sessions (or every principal's, for operators).
 */
final class FeedSource implements StreamSource {

    private final SessionStore store;

    private final Set<FeedEntryType> types;

    private final @Nullable String sessionId;

    private final PrincipalScope scope;

    FeedSource(SessionStore store, Set<FeedEntryType> types, @Nullable String sessionId, PrincipalScope scope) {
        this.store = store;
        this.types = types;
        this.sessionId = sessionId;
        this.scope = scope;
    }

    @Override
    public @Nullable String sessionId() {
        return null;
    }

    @Override
    public Subscription subscribe(SseStream stream) {
        return this.store.subscribeFeed((latest) -> stream.signal());
    }

    @Override
    public Chunk next(Cursor cursor) {
        FeedQuery query = new FeedQuery(cursor.seq(), cursor.epoch(), this.types, this.sessionId,
                Limits.DEFAULT_READ_LIMIT, this.scope);
        FeedPage page = this.store.readFeed(query);
        List<String> frames = new ArrayList<>(page.entries().size() + 1);
        if (page.reset()) {
            frames.add(SessionLogSource.resetFrame(page.resetReason(), page.latest(), page.earliestRetained(),
                    page.epoch()));
        }
        for (FeedEntry entry : page.entries()) {
            frames.add(SseFrames.event(entry.cursor(), entry.type().value(), JsonText.toJson(entry)));
        }
        return new Chunk(frames, Cursor.of(page.epoch(), page.nextCursor()),
                !page.entries().isEmpty() && page.nextCursor() < page.latest());
    }

}
