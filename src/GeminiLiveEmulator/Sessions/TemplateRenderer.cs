using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// Fills <c>{path}</c> placeholders in an after-tool reply from the tool responses: <c>{output}</c>,
/// <c>{output.status}</c>, <c>{error}</c>, <c>{items.0.name}</c> read the first response; <c>{lookup_order.output}</c>
/// names the function; <c>{response}</c> is the whole response as JSON. <c>{{</c> is a literal brace.
/// </summary>
internal static class TemplateRenderer
{
    public static string Render(string template, IReadOnlyList<(string Name, JsonElement Response)> responses)
    {
        var result = new StringBuilder(template.Length + 32);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                result.Append('{');
                i++;
                continue;
            }

            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                result.Append('}');
                i++;
                continue;
            }

            var close = c == '{' ? template.IndexOf('}', i + 1) : -1;
            if (close < 0)
            {
                result.Append(c);
                continue;
            }

            result.Append(Resolve(template[(i + 1)..close].Trim(), responses));
            i = close;
        }

        return result.ToString();
    }

    private static string Resolve(string path, IReadOnlyList<(string Name, JsonElement Response)> responses)
    {
        if (responses.Count == 0)
        {
            return "";
        }

        var segments = path.Split('.', StringSplitOptions.RemoveEmptyEntries);
        var response = responses[0].Response;
        var start = 0;
        if (segments.Length > 0 && responses.FirstOrDefault(r => r.Name == segments[0]) is { Name: not null } named)
        {
            response = named.Response;
            start = 1;
        }

        if (segments.Length == start || (segments.Length == start + 1 && segments[start] == "response"))
        {
            return response.GetRawText();
        }

        var current = response;
        for (var s = start; s < segments.Length; s++)
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segments[s], out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segments[s], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return "";
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString()!,
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => current.GetRawText(),
        };
    }
}
