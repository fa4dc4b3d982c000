package io.mcpsession.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * One page of a session's state, in key order.
 *
 * @param values the values as JSON text, by key, in key order
 * @param nextCursor the last key of the page, where the next page continues, or {@code null} when none follows
 */
public record StatePage(Map<String, String> values, @Nullable String nextCursor) {

    /**
     * The page of {@code state} after {@code after}: at most {@code limit} keys, as many as {@code budget} takes.
     */
    public static StatePage of(Map<String, String> state, @Nullable String after, int limit, PageBudget budget) {
        Limits.requireReadLimit(limit);
        TreeMap<String, String> sorted = new TreeMap<>(state);
        Map<String, String> values = new LinkedHashMap<>();
        String last = null;
        boolean more = false;
        for (Map.Entry<String, String> entry : ((after != null) ? sorted.tailMap(after, false) : sorted).entrySet()) {
            if (values.size() == limit || !budget.take(JsonText.utf8Length(entry.getValue()))) {
                more = true;
                break;
            }
            values.put(entry.getKey(), entry.getValue());
            last = entry.getKey();
        }
        return new StatePage(values, more ? last : null);
    }

}
