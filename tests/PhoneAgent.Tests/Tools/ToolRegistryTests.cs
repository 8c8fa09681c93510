using System.Text.Json;
using PhoneAgent.Tools;
using PhoneAgent.Tools.Handlers;

namespace PhoneAgent.Tests.Tools;

public sealed class ToolRegistryTests
{
    [Fact]
    public void Builds_from_valid_handlers_and_declares_only_enabled_tools()
    {
        var registry = new ToolRegistry([new EndCallTool(), Tool("lookup_order", """{"type":"object","properties":{"orderId":{"type":"string"}},"required":["orderId"]}""")]);

        Assert.Equal(["end_call", "lookup_order"], registry.Names);
        var declarations = registry.DeclarationsFor(["end_call", "not_registered"]);
        var declaration = Assert.Single(declarations);
        Assert.Equal("end_call", declaration.Name);
        Assert.False(declaration.NonBlocking);
    }

    [Fact]
    public void Duplicate_names_fail()
    {
        var error = Assert.Throws<ToolRegistryException>(() => new ToolRegistry([new EndCallTool(), new EndCallTool()]));
        Assert.Contains(error.Errors, e => e.Contains("registered twice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"type":"string"}""", "must be an object schema")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"text"}}}""", ".type: must be one of")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}""", "'b' is not a declared property")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"array"}}}""", ".items: is required")]
    [InlineData("""{"type":"object","propertys":{}}""", "unknown schema keyword 'propertys'")]
    public void Invalid_schemas_fail_with_the_problem_named(string schema, string expected)
    {
        var error = Assert.Throws<ToolRegistryException>(() => new ToolRegistry([Tool("bad_tool", schema)]));
        Assert.Contains(error.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1starts_with_digit")]
    [InlineData("has space")]
    [InlineData("")]
    public void Invalid_names_fail(string name)
    {
        Assert.Throws<ToolRegistryException>(() => new ToolRegistry([Tool(name, """{"type":"object"}""")]));
    }

    private static SchemaTool Tool(string name, string schema) => new SchemaTool(ToolDeclaration.Create(name, "Does things.", schema));

    private sealed class SchemaTool(ToolDeclaration declaration) : IToolHandler
    {
        public ToolDeclaration Declaration { get; } = declaration;

        public ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ToolResult.Success(JsonDocument.Parse("{}").RootElement));
    }
}
