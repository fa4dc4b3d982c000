package io.mcpsession.core;

import java.util.List;

/**
 * The byte budget of one page ({@code mcp.session.web.max-page-bytes}): items go on the page while their bytes fit
 * the budget, and the first always does, however large, so that a reader always moves on. A page the budget cut
 * is full: its {@code nextCursor} is its last item, where the next read continues.
 * <p>
 * The bytes of an item are those of its free-form JSON (what {@code max-event-bytes} bounds): an event's
 * {@code data} and {@code metadata}, a session's capabilities and {@code metadata}, a state value.
 */
public final class PageBudget {

    private final long maxBytes;

    private long used;

    private int taken;

    private boolean cut;

    /**
     * @param maxBytes the most bytes of one page (at least 1)
     */
    public PageBudget(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("A page budget must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Whether an item of {@code bytes} goes on the page. Once one does not, the page is cut and none does.
     */
    public boolean take(long bytes) {
        if (this.cut) {
            return false;
        }
        if (this.taken > 0 && this.used + bytes > this.maxBytes) {
            this.cut = true;
            return false;
        }
        this.used += bytes;
        this.taken++;
        return true;
    }

    /** Takes items of these sizes, in order, until one does not fit; returns this budget. */
    public PageBudget takeAll(List<Long> sizes) {
        for (long bytes : sizes) {
            if (!take(bytes)) {
                break;
            }
        }
        return this;
    }

    /** Whether the budget stopped the page before an item that was there to read. */
    public boolean cut() {
        return this.cut;
    }

    /** How many items went on the page. */
    public int taken() {
        return this.taken;
    }

    /** The bytes of an event: its data and metadata. */
    public static long bytesOf(EventRecord event) {
        return JsonText.utf8Length(event.data()) + JsonText.utf8Length(event.metadata());
    }

    /** The bytes of a session: its capabilities and metadata. */
    public static long bytesOf(Session session) {
        return JsonText.utf8Length(session.clientCapabilities()) + JsonText.utf8Length(session.serverCapabilities())
                + JsonText.utf8Length(session.metadata());
    }

    /** The bytes of a feed entry: those of the event or session it carries. */
    public static long bytesOf(FeedEntry entry) {
        if (entry.event() != null) {
            return bytesOf(entry.event());
        }
        return (entry.session() != null) ? bytesOf(entry.session()) : 0;
    }

}
