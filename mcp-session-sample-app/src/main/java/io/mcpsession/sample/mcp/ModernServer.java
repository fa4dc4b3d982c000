package io.mcpsession.sample.mcp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.McpSchema.AudioContent;
import io.modelcontextprotocol.modern.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.modern.McpSchema.CallToolOutcome;
import io.modelcontextprotocol.modern.McpSchema.CallToolRequest;
import io.modelcontextprotocol.modern.McpSchema.CallToolResult;
import io.modelcontextprotocol.modern.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.modern.McpSchema.CompleteResult;
import io.modelcontextprotocol.modern.McpSchema.Content;
import io.modelcontextprotocol.modern.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.modern.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.modern.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.modern.McpSchema.GetPromptResult;
import io.modelcontextprotocol.modern.McpSchema.ImageContent;
import io.modelcontextprotocol.modern.McpSchema.Implementation;
import io.modelcontextprotocol.modern.McpSchema.InputRequiredResult;
import io.modelcontextprotocol.modern.McpSchema.Prompt;
import io.modelcontextprotocol.modern.McpSchema.PromptArgument;
import io.modelcontextprotocol.modern.McpSchema.PromptMessage;
import io.modelcontextprotocol.modern.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.modern.McpSchema.Resource;
import io.modelcontextprotocol.modern.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.modern.McpSchema.Role;
import io.modelcontextprotocol.modern.McpSchema.SamplingMessage;
import io.modelcontextprotocol.modern.McpSchema.TextContent;
import io.modelcontextprotocol.modern.McpSchema.TextResourceContents;
import io.modelcontextprotocol.modern.McpSchema.Tool;
import io.modelcontextprotocol.modern.server.InputResponses;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.McpSyncNotifier;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.RequestStateCodec;
import io.modelcontextprotocol.modern.server.feature.McpChangeBroadcaster;
import io.modelcontextprotocol.modern.server.feature.McpSyncPrompt;
import io.modelcontextprotocol.modern.server.feature.McpSyncPromptRepository;
import io.modelcontextprotocol.modern.server.feature.McpSyncResource;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceRepository;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceTemplate;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.PromptsFeature;
import io.modelcontextprotocol.modern.server.feature.PromptsPage;
import io.modelcontextprotocol.modern.server.feature.ResourceTemplatesPage;
import io.modelcontextprotocol.modern.server.feature.ResourcesFeature;
import io.modelcontextprotocol.modern.server.feature.ResourcesPage;
import io.modelcontextprotocol.modern.server.feature.ServerChange;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.mcp.modern.StoreChangeFeed;
import io.mcpsession.mcp.modern.StoreTasksFeature;
import io.mcpsession.store.SessionStore;

/**
 * The sample's MCP server for protocol revision 2026-07-28 (the MCP Java SDK's modern stack), served at the same
 * {@code /mcp} as the 2025-11-25 one: the tools, resources and prompts that the conformance suite's 2026-07-28
 * and Tasks extension scenarios call, plus {@code count_slowly} as a task. Its {@code subscriptions/listen} streams hear changes from every
 * instance through the store ({@link StoreChangeFeed}).
 */
@Configuration(proxyBeanMethods = false)
class ModernServer {

    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private static final Map<String, Object> NO_ARGUMENTS = Map.of("type", "object", "properties", Map.of());

    private static final Pattern TEMPLATE = Pattern.compile("test://template/(.+)/data");

    /** The tools, with those that run as tasks (the Tasks extension) kept in the store. */
    @Bean(destroyMethod = "close")
    StoreTasksFeature modernTools(SessionStore store, StoreChangeFeed changes,
            @Value("${mcp.session.timeout:30m}") Duration timeout) {
        return StoreTasksFeature.builder(store, new Tools(changes)).taskTools(SampleTaskTools.all()).ttl(timeout)
            .build();
    }

    @Bean
    McpServer modernMcpServer(StoreTasksFeature tools, StoreChangeFeed changes,
            ObjectProvider<RequestStateCodec> requestState) {
        McpServer.Builder builder = McpServer.builder()
            .serverInfo(Implementation.builder("mcp-session-sample", "0.1.0").build())
            .feature(tools)
            .feature(ResourcesFeature.ofSync(new Resources()))
            .feature(PromptsFeature.ofSync(new Prompts()))
            .subscriptions(changes);
        requestState.ifAvailable(builder::requestStateCodec);
        return builder.build();
    }

    /** A tool's answer, possibly after notifications. */
    @FunctionalInterface
    private interface Answer {

        CallToolOutcome answer(McpRequestContext context, CallToolRequest request, McpSyncNotifier notifier);

    }

    private static final class Tools implements McpSyncToolRepository {

        private final Map<String, McpSyncTool> tools = new LinkedHashMap<>();

        Tools(McpChangeBroadcaster changes) {
            add("test_simple_text", "Returns simple text content",
                    (context, request, notifier) -> result(text("This is a simple text response for testing.")));
            add("test_image_content", "Returns image content", (context, request, notifier) -> result(image()));
            add("test_audio_content", "Returns audio content", (context, request, notifier) -> result(
                    AudioContent.builder(ConformanceFeatures.MINIMAL_WAV, "audio/wav").build()));
            add("test_embedded_resource", "Returns embedded resource content",
                    (context, request, notifier) -> result(embedded("test://embedded-resource", "text/plain",
                            "This is an embedded resource content.")));
            add("test_multiple_content_types", "Returns text, image and embedded resource content",
                    (context, request, notifier) -> result(text("Multiple content types test:"), image(),
                            embedded("test://mixed-content-resource", "application/json",
                                    "{\"test\":\"data\",\"value\":123}")));
            add("test_error_handling", "Always answers with an error",
                    (context, request, notifier) -> CallToolResult.builder()
                        .addContent(text("This tool intentionally returns an error for testing"))
                        .isError(true)
                        .build());
            add("test_tool_with_progress", "Reports progress", (context, request, notifier) -> {
                for (double progress : new double[] { 0, 50, 100 }) {
                    notifier.progress(progress, 100.0, null);
                }
                return result(text("Tool execution completed with progress"));
            });
            add("test_streaming_elicitation", "Reports progress before its result", (context, request, notifier) -> {
                notifier.progress(50, 100.0, null);
                return result(text("Streaming complete"));
            });
            // 2026-07-28 has no logging: the suite checks that the tool sends no log message.
            add("test_logging_tool", "Answers without logging",
                    (context, request, notifier) -> result(text("Logging evaluated")));
            this.tools.put("test_missing_capability", McpSyncTool.of(
                    Tool.builder("test_missing_capability", NO_ARGUMENTS).description("Needs sampling").build(),
                    (context, request) -> {
                        if (!context.clientCapabilities().supportsSampling()) {
                            throw McpException.missingClientCapability(ClientCapabilities.builder().sampling().build());
                        }
                        return McpSyncResponse.result(result(text("Success")));
                    }));
            add("test_trigger_tool_change", "Tells listeners that the tool list changed",
                    (context, request, notifier) -> {
                        changes.broadcast(new ServerChange.ToolsListChanged());
                        return result(text("Mutation triggered"));
                    });
            add("test_trigger_prompt_change", "Tells listeners that the prompt list changed",
                    (context, request, notifier) -> {
                        changes.broadcast(new ServerChange.PromptsListChanged());
                        return result(text("Mutation triggered"));
                    });
            add(jsonSchema202012(), (context, request, notifier) -> result(text("ok")));
            // SEP-2243: arguments that the client mirrors into Mcp-Param-* headers, which the server checks.
            add(Tool.builder("test_headers", Map.of("type", "object",
                    "properties", Map.of(
                            "region", Map.of("type", "string", "x-mcp-header", "Region"),
                            "query", Map.of("type", "string")),
                    "required", List.of("region", "query")))
                .description("Answers with the region its client mirrored into a header")
                .build(), (context, request, notifier) -> result(text("region " + request.arguments().get("region"))));
            add(Tool.builder("greet", Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string")),
                    "required", List.of("name")))
                .description("Greets at once (never a task)")
                .build(), (context, request, notifier) -> result(text("Hello, " + request.arguments().get("name") + "!")));
            inputRequiredTools();
        }

        /** SEP-2322: tools that ask the client for input and are called again with its answers. */
        private void inputRequiredTools() {
            add("test_input_required_result_elicitation", "Asks the user's name", (context, request, notifier) -> {
                Optional<String> name = accepted(request.inputResponses(), "user_name").map((c) -> c.get("name"))
                    .filter(String.class::isInstance)
                    .map(String.class::cast);
                return name.<CallToolOutcome>map((n) -> result(text("Hello, " + n + "!")))
                    .orElseGet(() -> InputRequiredResult.builder()
                        .elicit("user_name", askString("What is your name?", "name"))
                        .build());
            });
            add("test_input_required_result_sampling", "Asks the client's model a question",
                    (context, request, notifier) -> {
                        Map<String, Object> answer = response(request.inputResponses(), "capital_question");
                        if (answer == null) {
                            return InputRequiredResult.builder()
                                .createMessage("capital_question", sample("What is the capital of France?", 100))
                                .build();
                        }
                        Object content = answer.get("content");
                        return result(text("Sampling result: "
                                + ((content instanceof Map<?, ?> map) ? map.get("text") : null)));
                    });
            add("test_input_required_result_list_roots", "Asks the client's roots", (context, request, notifier) -> {
                Map<String, Object> answer = response(request.inputResponses(), "client_roots");
                if (answer == null || !(answer.get("roots") instanceof List<?> roots)) {
                    return InputRequiredResult.builder().listRoots("client_roots").build();
                }
                return result(text("Found " + roots.size() + " root(s): " + roots));
            });
            add("test_input_required_result_request_state", "Keeps state between rounds",
                    (context, request, notifier) -> {
                        Optional<Map<String, Object>> confirm = accepted(request.inputResponses(), "confirm");
                        if ("request-state".equals(request.requestState())
                                && confirm.map((c) -> Boolean.TRUE.equals(c.get("ok"))).orElse(false)) {
                            return result(text("state-ok: requestState validated"));
                        }
                        return InputRequiredResult.builder()
                            .elicit("confirm", askConfirmation())
                            .requestState("request-state")
                            .build();
                    });
            add("test_input_required_result_multiple_inputs", "Asks for three inputs at once",
                    (context, request, notifier) -> {
                        Map<String, Object> inputs = request.inputResponses();
                        Optional<Map<String, Object>> user = accepted(inputs, "user_name");
                        Map<String, Object> roots = response(inputs, "client_roots");
                        if ("multiple-inputs".equals(request.requestState()) && user.isPresent()
                                && response(inputs, "greeting") != null && roots != null) {
                            int count = (roots.get("roots") instanceof List<?> list) ? list.size() : 0;
                            return result(text("Name: " + user.get().get("name") + "; Roots: " + count));
                        }
                        return InputRequiredResult.builder()
                            .elicit("user_name", askString("What is your name?", "name"))
                            .createMessage("greeting", sample("Generate a greeting", 50))
                            .listRoots("client_roots")
                            .requestState("multiple-inputs")
                            .build();
                    });
            add("test_input_required_result_multi_round", "Asks twice", (context, request, notifier) -> {
                String state = (request.requestState() != null) ? request.requestState() : "";
                if (state.startsWith("round-2:")) {
                    Optional<Object> color = accepted(request.inputResponses(), "step2").map((c) -> c.get("color"));
                    if (color.orElse(null) instanceof String c) {
                        return result(text("Multi-round complete for " + state.substring("round-2:".length())
                                + " who likes " + c));
                    }
                }
                if (state.startsWith("round-1")) {
                    Optional<Object> name = accepted(request.inputResponses(), "step1").map((c) -> c.get("name"));
                    if (name.orElse(null) instanceof String n) {
                        return InputRequiredResult.builder()
                            .elicit("step2", askString("Step 2: What is your favorite color?", "color"))
                            .requestState("round-2:" + n)
                            .build();
                    }
                }
                return InputRequiredResult.builder()
                    .elicit("step1", askString("Step 1: What is your name?", "name"))
                    .requestState("round-1")
                    .build();
            });
            // The server's RequestStateCodec refuses a tampered requestState before this runs.
            add("test_input_required_result_tampered_state", "Keeps state the client cannot change",
                    (context, request, notifier) -> {
                        if ("tamper-test".equals(request.requestState())
                                && response(request.inputResponses(), "confirm") != null) {
                            return result(text("integrity-ok: state verified"));
                        }
                        return InputRequiredResult.builder()
                            .elicit("confirm", askConfirmation())
                            .requestState("tamper-test")
                            .build();
                    });
            add("test_input_required_result_capabilities", "Asks only for what the client supports",
                    (context, request, notifier) -> {
                        Map<String, Object> inputs = request.inputResponses();
                        if (inputs != null && !inputs.isEmpty()) {
                            return result(text("capabilities-ok: received " + String.join(",", inputs.keySet())));
                        }
                        ClientCapabilities client = context.clientCapabilities();
                        if (!client.supportsElicitationForm() && !client.supportsSampling()) {
                            return result(text("No supported capabilities declared"));
                        }
                        InputRequiredResult.Builder builder = InputRequiredResult.builder()
                            .requestState("capabilities-test:" + UUID.randomUUID());
                        if (client.supportsElicitationForm()) {
                            builder.elicit("elicit_input", askString("Elicitation input", "value"));
                        }
                        if (client.supportsSampling()) {
                            builder.createMessage("sample_input", sample("Sample request", 50));
                        }
                        return builder.build();
                    });
        }

        private void add(String name, String description, Answer answer) {
            add(Tool.builder(name, NO_ARGUMENTS).description(description).build(), answer);
        }

        private void add(Tool tool, Answer answer) {
            this.tools.put(tool.name(), McpSyncTool.of(tool, (context, request) -> McpSyncResponse
                .streaming((notifier) -> answer.answer(context, request, notifier))));
        }

        @Override
        public ToolsPage list(McpRequestContext context, String cursor) {
            return ToolsPage.of(this.tools.values().stream().map(McpSyncTool::definition).toList());
        }

        @Override
        public McpSyncTool find(McpRequestContext context, String name) {
            return this.tools.get(name);
        }

    }

    /** SEP-1613: the 2020-12 dialect and its keywords reach the client as written. */
    private static Tool jsonSchema202012() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("type", "object");
        schema.put("$defs", Map.of("address", Map.of("$anchor", "addressDef", "type", "object", "properties",
                Map.of("street", Map.of("type", "string"), "city", Map.of("type", "string")))));
        schema.put("properties", Map.of("name", Map.of("type", "string"), "address", Map.of("$ref", "#/$defs/address"),
                "contactMethod", Map.of("type", "string", "enum", List.of("phone", "email")),
                "phone", Map.of("type", "string"), "email", Map.of("type", "string")));
        schema.put("allOf", List.of(Map.of("anyOf", List.of(Map.of("required", List.of("phone")),
                Map.of("required", List.of("email"))))));
        schema.put("if", Map.of("properties", Map.of("contactMethod", Map.of("const", "phone")), "required",
                List.of("contactMethod")));
        schema.put("then", Map.of("required", List.of("phone")));
        schema.put("else", Map.of("required", List.of("email")));
        schema.put("additionalProperties", false);
        return Tool.builder("json_schema_2020_12_tool", schema)
            .description("Tool with JSON Schema 2020-12 features (SEP-1613)")
            .build();
    }

    private static final class Resources implements McpSyncResourceRepository {

        private static final List<Resource> RESOURCES = List.of(
                resource("test://static-text", "Static Text Resource", "text/plain"),
                resource("test://static-binary", "Static Binary Resource", "image/png"),
                resource("test://watched-resource", "Watched Resource", "text/plain"));

        @Override
        public ResourcesPage list(McpRequestContext context, String cursor) {
            return ResourcesPage.of(RESOURCES);
        }

        @Override
        public ResourceTemplatesPage listTemplates(McpRequestContext context, String cursor) {
            return ResourceTemplatesPage.of(List.of(ResourceTemplate
                .builder("test://template/{id}/data", "Template Resource")
                .description("A resource template with a parameter")
                .mimeType("application/json")
                .build()));
        }

        @Override
        public McpSyncResource find(McpRequestContext context, String uri) {
            ReadResourceResult contents = switch (uri) {
                case "test://static-text" -> textResource(uri, "This is the content of the static text resource.");
                case "test://watched-resource" -> textResource(uri, "This is a watched resource content.");
                case "test://static-binary" -> ReadResourceResult.builder(List.of(
                        BlobResourceContents.builder(uri, ConformanceFeatures.RED_PIXEL_PNG).mimeType("image/png")
                            .build()))
                    .build();
                default -> fromTemplate(uri);
            };
            return (contents != null) ? McpSyncResource.of((c, request) -> McpSyncResponse.result(contents)) : null;
        }

        @Override
        public boolean supportsSubscribe() {
            return true;
        }

        private static Resource resource(String uri, String name, String mimeType) {
            return Resource.builder(uri, name).description(name + " for testing").mimeType(mimeType).build();
        }

        private static ReadResourceResult textResource(String uri, String text) {
            return ReadResourceResult
                .builder(List.of(TextResourceContents.builder(uri, text).mimeType("text/plain").build()))
                .build();
        }

        private static ReadResourceResult fromTemplate(String uri) {
            Matcher matcher = TEMPLATE.matcher(uri);
            if (!matcher.matches()) {
                return null;
            }
            String id = matcher.group(1);
            String json = "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}";
            return ReadResourceResult.builder(
                    List.of(TextResourceContents.builder(uri, json).mimeType("application/json").build()))
                .build();
        }

    }

    private static final class Prompts implements McpSyncPromptRepository {

        private final Map<String, McpSyncPrompt> prompts = new LinkedHashMap<>();

        Prompts() {
            add(Prompt.builder("test_simple_prompt").description("A prompt without arguments").build(),
                    (request) -> messages(user(text("This is a simple prompt for testing."))));
            McpSyncPrompt withArguments = McpSyncPrompt.of(Prompt.builder("test_prompt_with_arguments")
                .description("A prompt with two arguments")
                .arguments(List.of(argument("arg1", "First test argument"), argument("arg2", "Second test argument")))
                .build(), (context, request) -> {
                    Map<String, String> arguments = (request.arguments() != null) ? request.arguments() : Map.of();
                    return McpSyncResponse.result(messages(user(text("Prompt with arguments: arg1='"
                            + arguments.get("arg1") + "', arg2='" + arguments.get("arg2") + "'"))));
                })
                .withCompletionHandler((context, request) -> CompleteResult.of(new CompleteResult.Completion(List.of())));
            this.prompts.put("test_prompt_with_arguments", withArguments);
            add(Prompt.builder("test_prompt_with_embedded_resource").description("A prompt with a resource")
                .arguments(List.of(argument("resourceUri", "URI of the resource to embed")))
                .build(), (request) -> messages(
                        user(embedded(String.valueOf(request.arguments().get("resourceUri")), "text/plain",
                                "Embedded resource content for testing.")),
                        user(text("Please process the embedded resource above."))));
            add(Prompt.builder("test_prompt_with_image").description("A prompt with an image").build(),
                    (request) -> messages(user(image()), user(text("Please analyze the image above."))));
            this.prompts.put("test_input_required_result_prompt", McpSyncPrompt.of(
                    Prompt.builder("test_input_required_result_prompt").description("Asks for its context").build(),
                    (context, request) -> {
                        Optional<Object> given = accepted(request.inputResponses(), "user_context")
                            .map((c) -> c.get("context"));
                        if (given.orElse(null) instanceof String text) {
                            return McpSyncResponse.result(messages(user(text("Prompt with context: " + text))));
                        }
                        return McpSyncResponse.result(InputRequiredResult.builder()
                            .elicit("user_context", askString("What context should the prompt use?", "context"))
                            .build());
                    }));
        }

        private void add(Prompt prompt, java.util.function.Function<McpSchema.GetPromptRequest, GetPromptResult> get) {
            this.prompts.put(prompt.name(),
                    McpSyncPrompt.of(prompt, (context, request) -> McpSyncResponse.result(get.apply(request))));
        }

        @Override
        public PromptsPage list(McpRequestContext context, String cursor) {
            return PromptsPage.of(this.prompts.values().stream().map(McpSyncPrompt::definition).toList());
        }

        @Override
        public McpSyncPrompt find(McpRequestContext context, String name) {
            return this.prompts.get(name);
        }

        @Override
        public boolean supportsCompletion() {
            return true;
        }

    }

    /** The content of an accepted elicitation among a retry's input responses. */
    private static Optional<Map<String, Object>> accepted(Map<String, Object> inputs, String key) {
        Map<String, Object> answer = response(inputs, key);
        if (answer == null || !"accept".equals(answer.get("action"))
                || !(answer.get("content") instanceof Map<?, ?> content)) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) content;
        return Optional.of(typed);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> response(Map<String, Object> inputs, String key) {
        return (inputs != null) ? InputResponses.get(inputs, key, Map.class, JSON) : null;
    }

    private static ElicitFormRequest askString(String message, String field) {
        return ElicitFormRequest.builder(message, Map.of("type", "object",
                "properties", Map.of(field, Map.of("type", "string")), "required", List.of(field))).build();
    }

    private static ElicitFormRequest askConfirmation() {
        return ElicitFormRequest.builder("Please confirm", Map.of("type", "object",
                "properties", Map.of("ok", Map.of("type", "boolean")), "required", List.of("ok"))).build();
    }

    private static CreateMessageRequest sample(String prompt, int maxTokens) {
        return CreateMessageRequest.builder(List.of(SamplingMessage.builder(Role.USER, text(prompt)).build()),
                maxTokens).build();
    }

    private static PromptArgument argument(String name, String description) {
        return PromptArgument.builder(name).description(description).required(true).build();
    }

    private static GetPromptResult messages(PromptMessage... messages) {
        return GetPromptResult.builder(List.of(messages)).build();
    }

    private static PromptMessage user(Content content) {
        return PromptMessage.builder(Role.USER, content).build();
    }

    private static CallToolResult result(Content... content) {
        return CallToolResult.builder().content(List.of(content)).build();
    }

    private static TextContent text(String text) {
        return TextContent.builder(text).build();
    }

    private static ImageContent image() {
        return ImageContent.builder(ConformanceFeatures.RED_PIXEL_PNG, "image/png").build();
    }

    private static EmbeddedResource embedded(String uri, String mimeType, String text) {
        return EmbeddedResource.builder(TextResourceContents.builder(uri, text).mimeType(mimeType).build()).build();
    }

}
