using PhoneAgent.GeminiLiveEmulator.Sessions;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Scenarios;

public sealed class ScenarioTests
{
    [Fact]
    public void Examples_AllLoad()
    {
        Assert.Contains("default", EmulatorScenario.ExampleNames);
        foreach (var name in EmulatorScenario.ExampleNames)
        {
            Assert.Equal(name, EmulatorScenario.LoadExample(name).Name);
        }
    }

    [Fact]
    public void ExampleFiles_LoadFromDisk()
    {
        var directory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/GeminiLiveEmulator/scenarios"));
        foreach (var file in Directory.GetFiles(directory, "*.json"))
        {
            Assert.NotNull(EmulatorScenario.Load(file));
        }
    }

    [Fact]
    public void Default_AnswersEveryTurn()
    {
        var scenario = EmulatorScenario.Default;

        Assert.Equal("greeting", scenario.TurnFor(1).Reply!.Clip);
        Assert.Equal("generic-1", scenario.TurnFor(2).Reply!.Clip);
        Assert.Equal("generic-3", scenario.TurnFor(4).Reply!.Clip);
        Assert.Equal("generic-1", scenario.TurnFor(5).Reply!.Clip);
    }

    [Theory]
    [InlineData("""{"turns":[{"reply":{"clip":"nope"}}]}""", "turns[0].reply.clip: unknown clip \"nope\"")]
    [InlineData("""{"turns":[{"reply":{"text":"Hi {output}"}}]}""", "only work in afterToolResponse")]
    [InlineData("""{"turns":[{"reply":{"clip":"okay"},"afterToolResponse":{"text":"x"}}]}""", "the turn has no toolCalls")]
    [InlineData("""{"turnz":[]}""", "turnz")]
    [InlineData("""{"faults":[{"kind":"close"}]}""", "faults[0]: set exactly one of at and afterSeconds")]
    [InlineData("""{"faults":[{"kind":"close","at":"reply","code":1006}]}""", "cannot be sent in a close frame")]
    [InlineData("""{"faults":[{"kind":"explode","at":"reply"}]}""", "kind")]
    [InlineData("""{"goAway":{"timeLeftSeconds":5}}""", "goAway: set exactly one of afterSeconds and atTurn")]
    public void Invalid_IsRejectedNamingTheField(string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => EmulatorScenario.Parse(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsCamelCaseEnumsCommentsAndToolArguments()
    {
        var scenario = EmulatorScenario.Parse("""
            {
              // comment
              "name": "x",
              "turns": [ { "caller": "hi", "reply": { "clip": "okay" }, "toolCalls": [ { "name": "f", "args": { "a": 1 } } ],
                           "afterToolResponse": { "text": "Got {output}." } } ],
              "faults": [ { "kind": "malformedFrame", "at": "midReply", "turn": 1 }, { "kind": "refuseResume", "count": 0 } ],
            }
            """);

        Assert.Equal(ScenarioFaultPoint.MidReply, scenario.Faults[0].At);
        Assert.Equal(ScenarioFaultKind.RefuseResume, scenario.Faults[1].Kind);
        Assert.Equal(1, scenario.Turns[0].ToolCalls[0].Args!.Value.GetProperty("a").GetInt32());
        Assert.Equal("(unscripted caller speech)", scenario.UnscriptedCaller);
    }

    [Fact]
    public void Wav_IsLoadedRelativeToTheScenarioFile()
    {
        var directory = Directory.CreateTempSubdirectory("emulator-scenario-");
        try
        {
            PhoneAgent.AudioCodec.Wav.WavFile.WritePcm16(Path.Combine(directory.FullName, "hello.wav"), 16000, new short[16000]);
            var file = Path.Combine(directory.FullName, "s.json");
            File.WriteAllText(file, """{"turns":[{"reply":{"wav":"hello.wav","text":"Hello."}}]}""");

            var reply = EmulatorScenario.Load(file).Turns[0].Reply!;

            Assert.Equal(24000, reply.WavSamples!.Length);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Template_FillsFieldsOfTheResponses()
    {
        var response = System.Text.Json.JsonDocument.Parse("""{"output":{"status":"shipped","items":[{"name":"lamp"}]},"n":3}""").RootElement;

        Assert.Equal("Your order shipped: lamp, 3 {x}.", TemplateRenderer.Render("Your order {output.status}: {output.items.0.name}, {n} {{x}}.", [("lookup", response)]));
        Assert.Equal("shipped", TemplateRenderer.Render("{lookup.output.status}", [("other", response), ("lookup", response)]));
        Assert.Equal("Missing: .", TemplateRenderer.Render("Missing: {nothing.here}.", [("lookup", response)]));
    }

    [Fact]
    public void TranscriptDeltas_CoverTheTextInOrder()
    {
        var deltas = ReplyPlan.TranscriptDeltas("It is cloudy and fourteen degrees in Lyon.");

        Assert.Equal("It is cloudy and fourteen degrees in Lyon.", string.Concat(deltas.Select(d => d.Text)));
        Assert.Equal(0, deltas[0].Fraction);
        Assert.All(deltas.Skip(1), d => Assert.StartsWith(" ", d.Text, StringComparison.Ordinal));
        Assert.True(deltas.Select(d => d.Fraction).SequenceEqual(deltas.Select(d => d.Fraction).Order()));
    }
}
