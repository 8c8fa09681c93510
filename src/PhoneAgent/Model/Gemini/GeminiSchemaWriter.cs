using System.Collections.Frozen;
using System.Text.Json;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// Writes a JSON Schema as Gemini's OpenAPI-style <c>Schema</c>: type names in the proto enum's upper case
/// (<c>object</c> → <c>OBJECT</c>), <c>["string","null"]</c> → <c>STRING</c> + <c>nullable</c>, and keywords the
/// proto does not have (<c>$schema</c>, <c>additionalProperties</c>, …) left out, since unknown fields fail the setup.
/// </summary>
internal static class GeminiSchemaWriter
{
    private static readonly FrozenSet<string> SchemaKeywords = new[]
    {
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static void Write(Utf8JsonWriter writer, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            schema.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        var nullable = false;
        foreach (var property in schema.EnumerateObject())
        {
            if (!SchemaKeywords.Contains(property.Name))
            {
                continue;
            }

            switch (property.Name)
            {
                case "type" when property.Value.ValueKind == JsonValueKind.String:
                    writer.WriteString("type", property.Value.GetString()!.ToUpperInvariant());
                    break;
                case "type" when property.Value.ValueKind == JsonValueKind.Array:
                    string? single = null;
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        var name = item.GetString();
                        if (string.Equals(name, "null", StringComparison.OrdinalIgnoreCase))
                        {
                            nullable = true;
                        }
                        else
                        {
                            single ??= name;
                        }
                    }

                    if (single is not null)
                    {
                        writer.WriteString("type", single.ToUpperInvariant());
                    }

                    break;
                case "properties" when property.Value.ValueKind == JsonValueKind.Object:
                    writer.WriteStartObject("properties");
                    foreach (var child in property.Value.EnumerateObject())
                    {
                        writer.WritePropertyName(child.Name);
                        Write(writer, child.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case "items":
                    writer.WritePropertyName("items");
                    Write(writer, property.Value);
                    break;
                case "anyOf" when property.Value.ValueKind == JsonValueKind.Array:
                    writer.WriteStartArray("anyOf");
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        Write(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                case "nullable":
                    nullable |= property.Value.ValueKind == JsonValueKind.True;
                    break;
                default:
                    property.WriteTo(writer);
                    break;
            }
        }

        if (nullable)
        {
            writer.WriteBoolean("nullable", true);
        }

        writer.WriteEndObject();
    }
}
