package io.mcpsession.sample.mcp;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.modern.McpSchema.CallToolRequest;
import io.modelcontextprotocol.modern.McpSchema.CallToolResult;
import io.modelcontextprotocol.modern.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.modern.McpSchema.InputRequiredResult;
import io.modelcontextprotocol.modern.McpSchema.TextContent;
import io.modelcontextprotocol.modern.McpSchema.Tool;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import org.jspecify.annotations.Nullable;

import io.mcpsession.mcp.modern.McpTaskTool;
import io.mcpsession.mcp.modern.TaskRun;

/**
 * The sample's tools that run as tasks of the Tasks extension: {@code count_slowly}, and the fixtures that the
 * conformance suite's Tasks scenarios call ({@code slow_compute}, {@code failing_job}, {@code protocol_error_job},
 * {@code confirm_delete}, {@code multi_input}, {@code test_tool_with_task}).
 */
final class SampleTaskTools {

    private SampleTaskTools() {
    }

    static List<McpTaskTool> all() {
        return List.of(countSlowly(), slowCompute(), failingJob(), protocolErrorJob(), confirmDelete(), multiInput(),
                toolWithTask());
    }

    /** {@code count_slowly} as a task: the client polls for {@code counted to <count>}. */
    private static McpTaskTool countSlowly() {
        return tool(Tool.builder("count_slowly", ResumeTools.COUNT_SLOWLY_SCHEMA)
            .description("Counts to count, one step every intervalMs")
            .build(), false, (run, request) -> {
                int count = ResumeTools.integer(request.arguments(), "count", ResumeTools.MAX_COUNT);
                int intervalMs = ResumeTools.integer(request.arguments(), "intervalMs", ResumeTools.MAX_INTERVAL_MS);
                if (count < 0 || intervalMs < 0) {
                    return error("count and intervalMs must be integers from 0 to " + ResumeTools.MAX_COUNT + " and "
                            + ResumeTools.MAX_INTERVAL_MS);
                }
                for (int i = 1; i <= count; i++) {
                    // The tool's own pace: it stands for work that takes this long.
                    Thread.sleep(intervalMs);
                }
                return text("counted to " + count);
            });
    }

    private static McpTaskTool slowCompute() {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("seconds", Map.of("type", "number", "minimum", 0, "maximum", 600),
                        "label", Map.of("type", "string")));
        return tool(Tool.builder("slow_compute", schema).description("Works for the given seconds").build(), false,
                (run, request) -> {
                    Object seconds = (request.arguments() != null) ? request.arguments().get("seconds") : null;
                    long millis = (seconds instanceof Number number) ? (long) (number.doubleValue() * 1000) : 0;
                    // The work itself: a cancellation interrupts it.
                    Thread.sleep(Math.min(Math.max(millis, 0), 600_000));
                    return text("Computed in " + millis + " ms");
                });
    }

    /** A task whose tool reports an error: the task completes with {@code isError}. */
    private static McpTaskTool failingJob() {
        return tool(Tool.builder("failing_job", noArguments()).description("Always ends with a tool error").build(),
                true, (run, request) -> {
                    Thread.sleep(1000);
                    return error("The job failed, as it always does");
                });
    }

    /** A task whose tool throws: the task fails with an error. */
    private static McpTaskTool protocolErrorJob() {
        return tool(Tool.builder("protocol_error_job", noArguments()).description("Always breaks").build(), false,
                (run, request) -> {
                    throw new IllegalStateException("the job broke down");
                });
    }

    private static McpTaskTool confirmDelete() {
        return tool(Tool.builder("confirm_delete", noArguments()).description("Asks before it deletes").build(),
                false, (run, request) -> {
                    Map<String, Object> answers = run.ask(InputRequiredResult.builder()
                        .elicit("confirm", ask("Delete it?", "confirm", "boolean"))
                        .build());
                    return text("Delete answered: " + answers.get("confirm"));
                });
    }

    private static McpTaskTool multiInput() {
        return tool(Tool.builder("multi_input", noArguments()).description("Asks two questions at once").build(),
                false, (run, request) -> {
                    Map<String, Object> answers = run.ask(InputRequiredResult.builder()
                        .elicit("first", ask("First question", "answer", "string"))
                        .elicit("second", ask("Second question", "answer", "string"))
                        .build());
                    return text("Answers: " + answers.keySet());
                });
    }

    /** Asks the user's name in a multi-round answer, then becomes a task that greets them. */
    private static McpTaskTool toolWithTask() {
        return new McpTaskTool() {

            @Override
            public Tool definition() {
                return Tool.builder("test_tool_with_task", noArguments())
                    .description("Asks a name, then greets as a task")
                    .build();
            }

            @Override
            public boolean required() {
                return true;
            }

            @Override
            public @Nullable InputRequiredResult beforeTask(McpRequestContext context, CallToolRequest request) {
                return (userName(request) == null) ? InputRequiredResult.builder()
                    .elicit("user_name", ask("What is your name?", "name", "string"))
                    .build() : null;
            }

            @Override
            public CallToolResult run(TaskRun run, CallToolRequest request) {
                return text("Hello, " + userName(request) + "!");
            }

        };
    }

    private static @Nullable String userName(CallToolRequest request) {
        Object answer = (request.inputResponses() != null) ? request.inputResponses().get("user_name") : null;
        if (answer instanceof Map<?, ?> map && "accept".equals(map.get("action"))
                && map.get("content") instanceof Map<?, ?> content && content.get("name") instanceof String name) {
            return name;
        }
        return null;
    }

    @FunctionalInterface
    private interface Work {

        CallToolResult run(TaskRun run, CallToolRequest request) throws Exception;

    }

    private static McpTaskTool tool(Tool definition, boolean required, Work work) {
        return new McpTaskTool() {

            @Override
            public Tool definition() {
                return definition;
            }

            @Override
            public boolean required() {
                return required;
            }

            @Override
            public CallToolResult run(TaskRun run, CallToolRequest request) throws Exception {
                return work.run(run, request);
            }

        };
    }

    private static ElicitFormRequest ask(String message, String field, String type) {
        return ElicitFormRequest.builder(message, Map.of("type", "object",
                "properties", Map.of(field, Map.of("type", type)), "required", List.of(field))).build();
    }

    private static Map<String, Object> noArguments() {
        return Map.of("type", "object", "properties", Map.of());
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addContent(TextContent.builder(text).build()).build();
    }

    private static CallToolResult error(String text) {
        return CallToolResult.builder().addContent(TextContent.builder(text).build()).isError(true).build();
    }

}
