using System.Text.Json;
using System.Text.RegularExpressions;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

internal static partial class ClientMessageParser
{
    private static List<FunctionDeclaration> ParseTools(JsonElement setup)
    {
        var functions = new List<FunctionDeclaration>();
        foreach (var tool in JsonFields.GetArray(setup, "tools", "setup"))
        {
            JsonFields.RequireObject(tool, "setup.tools");
            JsonFields.RejectUnknown(tool, "setup.tools[0]", ToolFields);
            foreach (var declaration in JsonFields.GetArray(tool, "functionDeclarations", "setup.tools[0]"))
            {
                JsonFields.RequireObject(declaration, "setup.tools[0].function_declarations");
                var name = JsonFields.GetString(declaration, "name", "setup.tools[0].function_declarations[0]");
                if (name is null || !FunctionName().IsMatch(name))
                {
                    throw ProtocolViolationException.InvalidArgument($"invalid function name \"{name}\" (letters, digits, _ . -; at most 64; not starting with a digit)");
                }

                if (functions.Any(f => f.Name == name))
                {
                    throw ProtocolViolationException.InvalidArgument($"function \"{name}\" is declared twice");
                }

                var behavior = ReadEnum(declaration, "behavior", "setup.tools[0].function_declarations[0]", Behaviors);
                functions.Add(new FunctionDeclaration(name, behavior == "NON_BLOCKING"));
            }
        }

        return functions;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex FunctionName();
}
