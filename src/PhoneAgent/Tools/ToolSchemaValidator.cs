using System.Collections.Frozen;
using System.Text.Json;

namespace PhoneAgent.Tools;

/// <summary>
/// Checks a tool's argument schema against the subset of JSON Schema (OpenAPI 3 <c>Schema</c>) that Gemini function
/// declarations take: the root is an object; every schema has a known <c>type</c>; <c>required</c> names declared
/// properties; arrays have <c>items</c>; no unknown keywords (a typo must fail the start, not confuse the model).
/// </summary>
internal static class ToolSchemaValidator
{
    private static readonly FrozenSet<string> Types = new[] { "object", "string", "number", "integer", "boolean", "array" }
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> Keywords = new[]
    {
        "type", "description", "properties", "required", "items", "enum", "format", "nullable", "minimum", "maximum",
        "minItems", "maxItems", "minLength", "maxLength", "pattern", "minProperties", "maxProperties", "title",
        "example", "default", "anyOf", "propertyOrdering",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Adds one message per problem, each starting with <paramref name="path"/>.</summary>
    public static void Validate(JsonElement schema, string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !string.Equals(type.GetString(), "object", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}: the parameters schema must be an object schema ({{\"type\": \"object\", …}})");
            return;
        }

        ValidateSchema(schema, path, errors);
    }

    private static void ValidateSchema(JsonElement schema, string path, ICollection<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: a schema must be a JSON object");
            return;
        }

        foreach (var property in schema.EnumerateObject())
        {
            if (!Keywords.Contains(property.Name))
            {
                errors.Add($"{path}: unknown schema keyword '{property.Name}'");
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            if (anyOf.ValueKind != JsonValueKind.Array || anyOf.GetArrayLength() == 0)
            {
                errors.Add($"{path}.anyOf: must be a non-empty array of schemas");
                return;
            }

            var i = 0;
            foreach (var option in anyOf.EnumerateArray())
            {
                ValidateSchema(option, $"{path}.anyOf[{i++}]", errors);
            }

            return;
        }

        if (!schema.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String || !Types.Contains(typeElement.GetString()!))
        {
            errors.Add($"{path}.type: must be one of {string.Join(", ", Types.Order(StringComparer.Ordinal))}");
            return;
        }

        if (schema.TryGetProperty("description", out var description) && description.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}.description: must be a string");
        }

        var type = typeElement.GetString()!.ToLowerInvariant();
        switch (type)
        {
            case "object":
                ValidateObject(schema, path, errors);
                break;
            case "array":
                if (!schema.TryGetProperty("items", out var items))
                {
                    errors.Add($"{path}.items: is required for an array");
                }
                else
                {
                    ValidateSchema(items, path + ".items", errors);
                }

                break;
        }

        if (schema.TryGetProperty("enum", out var values)
            && (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0 || values.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String)))
        {
            errors.Add($"{path}.enum: must be a non-empty array of strings");
        }
    }

    private static void ValidateObject(JsonElement schema, string path, ICollection<string> errors)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("properties", out var properties))
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path}.properties: must be an object of schemas");
                return;
            }

            foreach (var property in properties.EnumerateObject())
            {
                declared.Add(property.Name);
                ValidateSchema(property.Value, $"{path}.properties.{property.Name}", errors);
            }
        }

        if (schema.TryGetProperty("required", out var required))
        {
            if (required.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{path}.required: must be an array of property names");
                return;
            }

            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind != JsonValueKind.String || !declared.Contains(name.GetString()!))
                {
                    errors.Add($"{path}.required: '{name}' is not a declared property");
                }
            }
        }
    }
}
