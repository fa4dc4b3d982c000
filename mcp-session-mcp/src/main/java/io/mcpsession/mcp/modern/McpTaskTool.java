package io.mcpsession.mcp.modern;

import io.modelcontextprotocol.modern.McpSchema.CallToolRequest;
import io.modelcontextprotocol.modern.McpSchema.CallToolResult;
import io.modelcontextprotocol.modern.McpSchema.InputRequiredResult;
import io.modelcontextprotocol.modern.McpSchema.Tool;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import org.jspecify.annotations.Nullable;

/**
 * A tool that runs as a task of the Tasks extension ({@code io.modelcontextprotocol/tasks}): a call from a client
 * that declares the extension answers at once with a task that the client polls with {@code tasks/get} on any
 * instance; a call from another client runs to its result before answering, or, when the tool
 * {@linkplain #required() requires} a task, is refused.
 */
public interface McpTaskTool {

    /** The tool as {@code tools/list} shows it. */
    Tool definition();

    /** Whether the tool runs only as a task ({@code taskSupport: required}) rather than optionally. */
    default boolean required() {
        return false;
    }

    /**
     * Input the tool gathers before it becomes a task (SEP-2322 rounds): an {@link InputRequiredResult} to answer
     * now, or {@code null} to start the task.
     */
    default @Nullable InputRequiredResult beforeTask(McpRequestContext context, CallToolRequest request) {
        return null;
    }

    /**
     * Does the work. A tool error is a result with {@code isError}; an exception fails the task.
     * @param run the task this call runs as: its cancellation, and the client's input when it needs some
     */
    CallToolResult run(TaskRun run, CallToolRequest request) throws Exception;

}
