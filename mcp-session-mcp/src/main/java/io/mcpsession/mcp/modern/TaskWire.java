package io.mcpsession.mcp.modern;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.modelcontextprotocol.modern.McpSchema;
import org.jspecify.annotations.Nullable;

/** The Tasks extension's messages (SEP-2663) and the task record kept in the store. */
final class TaskWire {

    static final String WORKING = "working";

    static final String INPUT_REQUIRED = "input_required";

    static final String COMPLETED = "completed";

    static final String FAILED = "failed";

    static final String CANCELLED = "cancelled";

    private static final Set<String> TERMINAL = Set.of(COMPLETED, FAILED, CANCELLED);

    private TaskWire() {
    }

    /**
     * A task as the store keeps it and {@code tasks/get} shows it: {@code result} once completed, {@code error}
     * once failed, {@code inputRequests} while it waits for the client.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Task(String taskId, String status, @Nullable String statusMessage, String createdAt,
            String lastUpdatedAt, long ttlMs, long pollIntervalMs, @Nullable Object result,
            @Nullable Map<String, Object> error, @Nullable Map<String, Object> inputRequests) {

        static Task working(String taskId, Instant now, long ttlMs, long pollIntervalMs) {
            return new Task(taskId, WORKING, null, now.toString(), now.toString(), ttlMs, pollIntervalMs, null, null,
                    null);
        }

        @JsonIgnore
        boolean isTerminal() {
            return TERMINAL.contains(this.status);
        }

        Task with(String status, Instant now, @Nullable Object result, @Nullable Map<String, Object> error,
                @Nullable Map<String, Object> inputRequests, @Nullable String statusMessage) {
            return new Task(this.taskId, status, statusMessage, this.createdAt, now.toString(), this.ttlMs,
                    this.pollIntervalMs, result, error, inputRequests);
        }

    }

    /** The answer to a call that became a task: the task itself, flat, with {@code resultType: task}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreateTaskResult(String taskId, String status, @Nullable String statusMessage, String createdAt,
            String lastUpdatedAt, long ttlMs, long pollIntervalMs) implements McpSchema.Result {

        static CreateTaskResult of(Task task) {
            return new CreateTaskResult(task.taskId(), task.status(), task.statusMessage(), task.createdAt(),
                    task.lastUpdatedAt(), task.ttlMs(), task.pollIntervalMs());
        }

        @Override
        @JsonProperty("resultType")
        public String resultType() {
            return "task";
        }

        @Override
        @JsonProperty("_meta")
        public @Nullable Map<String, Object> meta() {
            return null;
        }

    }

    /** The answer to {@code tasks/get}: the task with what it ended with. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DetailedTask(String taskId, String status, @Nullable String statusMessage, String createdAt,
            String lastUpdatedAt, long ttlMs, long pollIntervalMs, @Nullable Object result,
            @Nullable Map<String, Object> error, @Nullable Map<String, Object> inputRequests)
            implements McpSchema.Result {

        static DetailedTask of(Task task) {
            return new DetailedTask(task.taskId(), task.status(), task.statusMessage(), task.createdAt(),
                    task.lastUpdatedAt(), task.ttlMs(), task.pollIntervalMs(), task.result(), task.error(),
                    task.inputRequests());
        }

        @Override
        @JsonProperty("resultType")
        public String resultType() {
            return "complete";
        }

        @Override
        @JsonProperty("_meta")
        public @Nullable Map<String, Object> meta() {
            return null;
        }

    }

    /** The empty answer to {@code tasks/update} and {@code tasks/cancel}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Ack() implements McpSchema.Result {

        @Override
        @JsonProperty("resultType")
        public String resultType() {
            return "complete";
        }

        @Override
        @JsonProperty("_meta")
        public @Nullable Map<String, Object> meta() {
            return null;
        }

    }

}
