package io.mcpsession.sample.mcp;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.AudioContent;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import org.springframework.ai.mcp.customizer.McpSyncServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The tools, resources, prompts and completions that the server scenarios of the MCP conformance suite
 * ({@code @modelcontextprotocol/conformance}) call, with the contents they check. Spring AI's MCP server
 * starter collects the lists below into the server.
 */
@Configuration(proxyBeanMethods = false)
class ConformanceFeatures {

    /** A 1×1 red PNG. */
    static final String RED_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    /** A WAV file of one silent sample at 8 kHz. */
    static final String MINIMAL_WAV = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQAAAAA=";

    private static final Map<String, Object> NO_ARGUMENTS = Map.of("type", "object", "properties", Map.of());

    /**
     * Spring AI declares resources without subscriptions; the suite subscribes to {@code test://watched-resource}.
     * Spring AI's servlet customizer runs tools on the request thread; this one takes its place (a customizer is
     * injected as one bean), so it does that too.
     */
    @Bean
    @Primary
    McpSyncServerCustomizer conformanceCapabilities() {
        return (server) -> server.immediateExecution(true)
            .capabilities(ServerCapabilities.builder()
                .tools(false)
                .resources(true, false)
                .prompts(false)
                .completions()
                .logging()
                .build());
    }

    @Bean
    List<SyncToolSpecification> conformanceTools() {
        return List.of(
                tool("test_simple_text", "Returns simple text content",
                        text("This is a simple text response for testing.")),
                tool("test_image_content", "Returns image content", image()),
                tool("test_audio_content", "Returns audio content", AudioContent.builder(MINIMAL_WAV, "audio/wav")
                    .build()),
                tool("test_embedded_resource", "Returns embedded resource content",
                        embedded("test://embedded-resource", "text/plain", "This is an embedded resource content.")),
                tool("test_multiple_content_types", "Returns text, image and embedded resource content",
                        text("Multiple content types test:"), image(), embedded("test://mixed-content-resource",
                                "application/json", "{\"test\":\"data\",\"value\":123}")),
                tool("test_tool_with_logging", "Sends log messages while it runs", ConformanceFeatures::logging),
                toolWithError(),
                tool("test_tool_with_progress", "Reports progress", ConformanceFeatures::progress),
                withArgument("test_sampling", "prompt", "Asks the client's LLM for a completion",
                        ConformanceFeatures::sampling),
                withArgument("test_elicitation", "message", "Asks the user for input", ConformanceFeatures::elicit),
                tool("test_elicitation_sep1034_defaults", "Asks the user for input with defaults of every type",
                        ConformanceFeatures::elicitWithDefaults),
                tool("test_elicitation_sep1330_enums", "Asks the user to choose from enums of every form",
                        ConformanceFeatures::elicitEnums),
                jsonSchema202012());
    }

    @Bean
    List<SyncResourceSpecification> conformanceResources() {
        return List.of(
                resource("test://static-text", "Static Text Resource", "text/plain",
                        TextResourceContents.builder("test://static-text",
                                "This is the content of the static text resource.")
                            .mimeType("text/plain")
                            .build()),
                resource("test://static-binary", "Static Binary Resource", "image/png",
                        BlobResourceContents.builder("test://static-binary", RED_PIXEL_PNG).mimeType("image/png")
                            .build()),
                resource("test://watched-resource", "Watched Resource", "text/plain",
                        TextResourceContents.builder("test://watched-resource", "This is a watched resource content.")
                            .mimeType("text/plain")
                            .build()));
    }

    @Bean
    List<SyncResourceTemplateSpecification> conformanceResourceTemplates() {
        ResourceTemplate template = ResourceTemplate.builder("test://template/{id}/data", "Template Resource")
            .description("A resource template with a parameter")
            .mimeType("application/json")
            .build();
        return List.of(new SyncResourceTemplateSpecification(template, (exchange, request) -> {
            String id = request.uri().replaceAll("^test://template/(.+)/data$", "$1");
            String json = "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}";
            return ReadResourceResult.builder(List.of(TextResourceContents.builder(request.uri(), json)
                .mimeType("application/json")
                .build())).build();
        }));
    }

    @Bean
    List<SyncPromptSpecification> conformancePrompts() {
        return List.of(
                prompt(Prompt.builder("test_simple_prompt").description("A prompt without arguments")
                    .arguments(List.of())
                    .build(), (arguments) -> List.of(user(text("This is a simple prompt for testing.")))),
                prompt(Prompt.builder("test_prompt_with_arguments").description("A prompt with two arguments")
                    .arguments(List.of(argument("arg1", "First test argument"),
                            argument("arg2", "Second test argument")))
                    .build(), (arguments) -> List.of(user(text("Prompt with arguments: arg1='" + arguments.get("arg1")
                            + "', arg2='" + arguments.get("arg2") + "'")))),
                prompt(Prompt.builder("test_prompt_with_embedded_resource").description("A prompt with a resource")
                    .arguments(List.of(argument("resourceUri", "URI of the resource to embed")))
                    .build(), (arguments) -> List.of(
                            user(embedded(String.valueOf(arguments.get("resourceUri")), "text/plain",
                                    "Embedded resource content for testing.")),
                            user(text("Please process the embedded resource above.")))),
                prompt(Prompt.builder("test_prompt_with_image").description("A prompt with an image")
                    .arguments(List.of())
                    .build(),
                        (arguments) -> List.of(user(image()), user(text("Please analyze the image above.")))));
    }

    @Bean
    List<SyncCompletionSpecification> conformanceCompletions() {
        return List.of(new SyncCompletionSpecification(new PromptReference("test_prompt_with_arguments"),
                (exchange, request) -> new CompleteResult(new CompleteResult.CompleteCompletion(List.of(), 0, false))));
    }

    private static CallToolResult logging(McpSyncServerExchange exchange, CallToolRequest request) {
        for (String message : List.of("Tool execution started", "Tool processing data", "Tool execution completed")) {
            exchange.loggingNotification(LoggingMessageNotification.builder(LoggingLevel.INFO, message).build());
        }
        return result(text("Tool execution completed with logging"));
    }

    private static CallToolResult progress(McpSyncServerExchange exchange, CallToolRequest request) {
        Object token = request.progressToken();
        if (token == null) {
            return result(text("Tool execution completed without progress"));
        }
        for (double progress : new double[] { 0, 50, 100 }) {
            exchange.progressNotification(ProgressNotification.builder(token, progress).total(100.0).build());
        }
        return result(text("Tool execution completed with progress"));
    }

    private static CallToolResult sampling(McpSyncServerExchange exchange, CallToolRequest request) {
        String prompt = String.valueOf(request.arguments().get("prompt"));
        CreateMessageRequest sampling = CreateMessageRequest
            .builder(List.of(SamplingMessage.builder(Role.USER, text(prompt)).build()), 100)
            .build();
        Content answer = exchange.createMessage(sampling).content();
        String answerText = (answer instanceof TextContent textContent) ? textContent.text() : String.valueOf(answer);
        return result(text("LLM response: " + answerText));
    }

    private static CallToolResult elicit(McpSyncServerExchange exchange, CallToolRequest request) {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of(
                        "username", Map.of("type", "string", "description", "User's response"),
                        "email", Map.of("type", "string", "description", "User's email address")),
                "required", List.of("username", "email"));
        ElicitResult answer = exchange.createElicitation(
                ElicitRequest.builder(String.valueOf(request.arguments().get("message")), schema).build());
        return result(text("User response: action=" + answer.action() + ", content=" + answer.content()));
    }

    private static CallToolResult elicitWithDefaults(McpSyncServerExchange exchange, CallToolRequest request) {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of(
                        "name", Map.of("type", "string", "default", "John Doe"),
                        "age", Map.of("type", "integer", "default", 30),
                        "score", Map.of("type", "number", "default", 95.5),
                        "status", Map.of("type", "string", "enum", List.of("active", "inactive", "pending"),
                                "default", "active"),
                        "verified", Map.of("type", "boolean", "default", true)),
                "required", List.of("name", "age", "score", "status", "verified"));
        return elicitationResult(exchange.createElicitation(
                ElicitRequest.builder("Please provide your information with defaults", schema).build()));
    }

    private static CallToolResult elicitEnums(McpSyncServerExchange exchange, CallToolRequest request) {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of(
                        "untitledSingle", Map.of("type", "string", "enum", List.of("option1", "option2", "option3")),
                        "titledSingle", Map.of("type", "string", "oneOf", titled("value", "Option")),
                        "legacyEnum", Map.of("type", "string", "enum", List.of("opt1", "opt2", "opt3"),
                                "enumNames", List.of("Option One", "Option Two", "Option Three")),
                        "untitledMulti", Map.of("type", "array",
                                "items", Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))),
                        "titledMulti", Map.of("type", "array", "items", Map.of("anyOf", titled("value", "Choice")))),
                "required", List.of("untitledSingle", "titledSingle", "legacyEnum", "untitledMulti", "titledMulti"));
        return elicitationResult(
                exchange.createElicitation(ElicitRequest.builder("Select your preferences", schema).build()));
    }

    /** {@code [{const: value1, title: "First <noun>"}, …]} for three values. */
    private static List<Map<String, Object>> titled(String value, String noun) {
        return List.of(Map.of("const", value + "1", "title", "First " + noun),
                Map.of("const", value + "2", "title", "Second " + noun),
                Map.of("const", value + "3", "title", "Third " + noun));
    }

    private static CallToolResult elicitationResult(ElicitResult answer) {
        return result(text("Elicitation completed: action=" + answer.action() + ", content=" + answer.content()));
    }

    /** SEP-1613: the 2020-12 dialect and its keywords reach the client as written. */
    private static SyncToolSpecification jsonSchema202012() {
        Map<String, Object> schema = Map.of("$schema", McpSchema.JSON_SCHEMA_DIALECT_2020_12, "type", "object",
                "$defs", Map.of("address", Map.of("type", "object",
                        "properties", Map.of("street", Map.of("type", "string"), "city", Map.of("type", "string")))),
                "properties", Map.of("name", Map.of("type", "string"), "address", Map.of("$ref", "#/$defs/address")),
                "additionalProperties", false);
        return tool("json_schema_2020_12_tool", schema, "Tool with JSON Schema 2020-12 features (SEP-1613)",
                (exchange, request) -> result(text("ok")));
    }

    private static SyncToolSpecification toolWithError() {
        return tool("test_error_handling", NO_ARGUMENTS, "Always answers with an error",
                (exchange, request) -> CallToolResult.builder()
                    .addTextContent("This tool intentionally returns an error for testing")
                    .isError(true)
                    .build());
    }

    private static SyncToolSpecification tool(String name, String description, Content... content) {
        return tool(name, description, (exchange, request) -> result(content));
    }

    private static SyncToolSpecification tool(String name, String description, ToolHandler handler) {
        return tool(name, NO_ARGUMENTS, description, handler);
    }

    /** A tool with one required string argument. */
    private static SyncToolSpecification withArgument(String name, String argument, String description,
            ToolHandler handler) {
        return tool(name, Map.of("type", "object", "properties", Map.of(argument, Map.of("type", "string")),
                "required", List.of(argument)), description, handler);
    }

    private static SyncToolSpecification tool(String name, Map<String, Object> inputSchema, String description,
            ToolHandler handler) {
        return SyncToolSpecification.builder()
            .tool(Tool.builder(name, inputSchema).description(description).build())
            .callHandler(handler)
            .build();
    }

    private static SyncResourceSpecification resource(String uri, String name, String mimeType,
            ResourceContents contents) {
        Resource resource = Resource.builder(uri, name).description(name + " for testing").mimeType(mimeType).build();
        return new SyncResourceSpecification(resource,
                (exchange, request) -> ReadResourceResult.builder(List.of(contents)).build());
    }

    private static SyncPromptSpecification prompt(Prompt prompt, PromptHandler handler) {
        return new SyncPromptSpecification(prompt,
                (exchange, request) -> GetPromptResult.builder(handler.messages(request.arguments())).build());
    }

    private static PromptArgument argument(String name, String description) {
        return PromptArgument.builder(name).description(description).required(true).build();
    }

    private static CallToolResult result(Content... content) {
        return CallToolResult.builder().content(List.of(content)).isError(false).build();
    }

    private static TextContent text(String text) {
        return TextContent.builder(text).build();
    }

    private static ImageContent image() {
        return ImageContent.builder(RED_PIXEL_PNG, "image/png").build();
    }

    private static EmbeddedResource embedded(String uri, String mimeType, String text) {
        return EmbeddedResource.builder(TextResourceContents.builder(uri, text).mimeType(mimeType).build()).build();
    }

    private static PromptMessage user(Content content) {
        return PromptMessage.builder(Role.USER, content).build();
    }

    /** How the SDK calls a synchronous tool. */
    private interface ToolHandler extends BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> {

    }

    @FunctionalInterface
    private interface PromptHandler {

        List<PromptMessage> messages(Map<String, Object> arguments);

    }

}
