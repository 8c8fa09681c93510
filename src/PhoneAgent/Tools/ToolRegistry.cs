using System.Collections.Frozen;
using System.Text.RegularExpressions;
using PhoneAgent.Model;

namespace PhoneAgent.Tools;

/// <summary>
/// Every registered tool by name, built once at start. A duplicate name, a bad name, a bad timeout or an invalid
/// schema throws <see cref="ToolRegistryException"/> listing every problem, which stops the service.
/// </summary>
internal sealed partial class ToolRegistry
{
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    private readonly FrozenDictionary<string, IToolHandler> _byName;

    public ToolRegistry(IEnumerable<IToolHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var errors = new List<string>();
        var byName = new Dictionary<string, IToolHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            var declaration = handler.Declaration;
            var path = $"tool '{declaration.Name}' ({handler.GetType().Name})";
            if (!ValidName().IsMatch(declaration.Name ?? ""))
            {
                errors.Add($"{path}: the name must start with a letter or '_' and hold only letters, digits, '_', '.' or '-' (at most 64 characters)");
            }
            else if (!byName.TryAdd(declaration.Name!, handler))
            {
                errors.Add($"{path}: the name is registered twice (also by {byName[declaration.Name!].GetType().Name})");
            }

            if (string.IsNullOrWhiteSpace(declaration.Description))
            {
                errors.Add($"{path}: the description is required (the model decides from it)");
            }

            if (declaration.Timeout < MinTimeout || declaration.Timeout > MaxTimeout)
            {
                errors.Add($"{path}: the timeout must be between {MinTimeout:c} and {MaxTimeout:c} (got {declaration.Timeout:c})");
            }

            ToolSchemaValidator.Validate(declaration.Parameters, path + " parameters", errors);
        }

        if (errors.Count > 0)
        {
            throw new ToolRegistryException(errors);
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Registered tool names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _byName.Keys.Order(StringComparer.Ordinal)];

    public IToolHandler? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The model-facing declarations of <paramref name="enabled"/> (names that are not registered are skipped; the start-up check reports them).</summary>
    public IReadOnlyList<ModelToolDeclaration> DeclarationsFor(IEnumerable<string> enabled)
    {
        ArgumentNullException.ThrowIfNull(enabled);
        var declarations = new List<ModelToolDeclaration>();
        foreach (var name in enabled)
        {
            if (_byName.TryGetValue(name, out var handler))
            {
                var d = handler.Declaration;
                declarations.Add(new ModelToolDeclaration(d.Name, d.Description, d.Parameters, NonBlocking: !d.Blocking));
            }
        }

        return declarations;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}

/// <summary>The tool registry is invalid; <see cref="Exception.Message"/> lists every problem.</summary>
internal sealed class ToolRegistryException : Exception
{
    public ToolRegistryException()
        : this([])
    {
    }

    public ToolRegistryException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public ToolRegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public ToolRegistryException(IReadOnlyList<string> errors)
        : base("Invalid tool registry:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; } = [];
}
