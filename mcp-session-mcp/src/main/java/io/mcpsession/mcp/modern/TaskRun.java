package io.mcpsession.mcp.modern;

import java.util.Map;

import io.modelcontextprotocol.modern.McpSchema.InputRequiredResult;
import org.jspecify.annotations.Nullable;

/** What a running {@link McpTaskTool} may ask of its task. */
public interface TaskRun {

    /** The task's id, or {@code null} when the call runs without a task (a client without the extension). */
    @Nullable String taskId();

    /** Whether the client cancelled the task; the running thread is interrupted too. */
    boolean isCancelled();

    /**
     * Asks the client for input and waits for every answer: the task shows {@code input_required} with these
     * requests until the client has answered each of them through {@code tasks/update}, on any instance.
     * @param requests the input requests, built as for a multi-round answer (only its {@code inputRequests} count)
     * @return the answers by request key
     * @throws InterruptedException when the task is cancelled while it waits
     */
    Map<String, Object> ask(InputRequiredResult requests) throws InterruptedException;

}
