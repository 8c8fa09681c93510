using System.Text.Json;

namespace PhoneAgent.Tests.Telephony.Testing;

/// <summary>The committed vectors from <c>Fixtures/make-signature-vectors.mjs</c> (Twilio's Node helper).</summary>
public static class SignatureVectors
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<VectorFile> File = new(() =>
        JsonSerializer.Deserialize<VectorFile>(
            System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Telephony", "Fixtures", "signature-vectors.json")),
            Options)!);

    public static IReadOnlyDictionary<string, string> Tokens => File.Value.Tokens;

    public static IReadOnlyList<SignatureVector> All => File.Value.Vectors;

    public static SignatureVector Named(string name) => All.Single(v => v.Name == name);

    public static TheoryData<string> Names(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var vector in All.Where(v => v.Kind == kind))
        {
            data.Add(vector.Name);
        }

        return data;
    }

    public sealed record VectorFile(string Generator, Dictionary<string, string> Tokens, List<SignatureVector> Vectors);
}

public sealed record SignatureVector(
    string Name,
    string Kind,
    string PublicBaseUrl,
    string Path,
    string SignedUrl,
    string Token,
    Dictionary<string, string> Params,
    string Signature,
    bool Valid,
    string? Variant,
    bool NodeValidateRequest);
