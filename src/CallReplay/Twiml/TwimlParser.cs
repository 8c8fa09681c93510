using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace PhoneAgent.CallReplay.Twiml;

/// <summary>Parses TwiML with System.Xml, as Twilio reads it: a <c>&lt;Response&gt;</c> root and case-sensitive verbs.</summary>
public static class TwimlParser
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    /// <summary>Parses <paramref name="xml"/>.</summary>
    /// <exception cref="TwimlParseException">Not XML, or the root is not <c>&lt;Response&gt;</c>, or a verb lacks what it needs.</exception>
    public static TwimlDocument Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new TwimlParseException($"Not well-formed XML: {e.Message}", e);
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "Response")
        {
            throw new TwimlParseException($"The root element is <{root?.Name.LocalName}>, not <Response>.");
        }

        return new TwimlDocument([.. root.Elements().Select(ParseVerb)], xml);
    }

    /// <summary>A short description of <paramref name="verb"/> for logs.</summary>
    public static string Describe(TwimlVerb verb) => verb switch
    {
        SayVerb s => $"Say(\"{Shorten(s.Text)}\")",
        PlayVerb p => p.Digits is not null ? $"Play(digits={p.Digits})" : $"Play({p.Url})",
        PauseVerb p => $"Pause({p.Length.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s)",
        HangupVerb => "Hangup",
        LeaveVerb => "Leave",
        RejectVerb r => $"Reject({r.Reason})",
        RedirectVerb r => $"Redirect({r.Method} {r.Url})",
        DialVerb d => $"Dial({string.Join(", ", d.Targets)}{(d.Action is null ? "" : $", action={d.Action}")})",
        EnqueueVerb e => $"Enqueue({e.Queue}{(e.Action is null ? "" : $", action={e.Action}")})",
        ConnectStreamVerb c => $"Connect({(c.Action is null ? "" : $"action={c.Action}")}) Stream(url={c.Stream.Url}, {c.Stream.Parameters.Count} parameter(s))",
        StartVerb s => $"Start({string.Join(", ", s.Nouns)})",
        UnsupportedVerb u => $"{u.Element} (not simulated)",
        _ => verb.Name,
    };

    private static TwimlVerb ParseVerb(XElement e)
    {
        switch (e.Name.LocalName)
        {
            case "Say":
                return new SayVerb(NormalizeSpace(e.Value), Attr(e, "voice"), Attr(e, "language"), Loop(e));
            case "Play":
                var url = NormalizeSpace(e.Value);
                return new PlayVerb(url.Length == 0 ? null : url, Attr(e, "digits"), Loop(e));
            case "Pause":
                return new PauseVerb(TimeSpan.FromSeconds(Int(e, "length", 1)));
            case "Hangup":
                return new HangupVerb();
            case "Reject":
                return new RejectVerb(Attr(e, "reason") ?? "rejected");
            case "Redirect":
                var target = NormalizeSpace(e.Value);
                if (target.Length == 0)
                {
                    throw new TwimlParseException("<Redirect> needs a URL.");
                }

                return new RedirectVerb(target, Method(e));
            case "Dial":
                return ParseDial(e);
            case "Enqueue":
                var queue = NormalizeSpace(string.Concat(e.Nodes().OfType<XText>().Select(t => t.Value)));
                var workflow = Attr(e, "workflowSid");
                if (queue.Length == 0 && workflow is null)
                {
                    throw new TwimlParseException("<Enqueue> needs a queue name or a workflowSid.");
                }

                return new EnqueueVerb(queue.Length == 0 ? $"workflow {workflow}" : queue, Attr(e, "action"), Method(e), Attr(e, "waitUrl"), workflow)
                {
                    WaitUrlMethod = (Attr(e, "waitUrlMethod") ?? "POST").ToUpperInvariant(),
                };
            case "Leave":
                return new LeaveVerb();
            case "Connect":
                return ParseConnect(e);
            case "Start":
                return new StartVerb([.. e.Elements().Select(n => n.Name.LocalName)]);
            default:
                return new UnsupportedVerb(e.Name.LocalName, e.ToString(SaveOptions.DisableFormatting));
        }
    }

    private static DialVerb ParseDial(XElement e)
    {
        var targets = new List<DialTarget>();
        var bare = NormalizeSpace(string.Concat(e.Nodes().OfType<XText>().Select(t => t.Value)));
        if (bare.Length > 0)
        {
            targets.Add(new DialTarget("Number", bare));
        }

        targets.AddRange(e.Elements().Select(n => new DialTarget(n.Name.LocalName, NormalizeSpace(n.Value))));
        if (targets.Count == 0)
        {
            throw new TwimlParseException("<Dial> names nobody to dial.");
        }

        return new DialVerb(
            targets,
            Attr(e, "action"),
            Method(e),
            TimeSpan.FromSeconds(Int(e, "timeout", 30)),
            TimeSpan.FromSeconds(Int(e, "timeLimit", 14400)),
            Attr(e, "callerId"));
    }

    private static TwimlVerb ParseConnect(XElement e)
    {
        var nouns = e.Elements().ToList();
        if (nouns.Count != 1 || nouns[0].Name.LocalName != "Stream")
        {
            return new UnsupportedVerb($"Connect<{string.Join(",", nouns.Select(n => n.Name.LocalName))}>", e.ToString(SaveOptions.DisableFormatting));
        }

        var s = nouns[0];
        var url = Attr(s, "url") ?? throw new TwimlParseException("<Stream> needs a url attribute.");
        var parameters = s.Elements()
            .Where(p => p.Name.LocalName == "Parameter")
            .Select(p => new KeyValuePair<string, string>(
                Attr(p, "name") ?? throw new TwimlParseException("<Parameter> needs a name."),
                Attr(p, "value") ?? ""))
            .ToList();
        var stream = new StreamNoun(
            url,
            Attr(s, "name"),
            Attr(s, "track") ?? "inbound_track",
            Attr(s, "statusCallback"),
            (Attr(s, "statusCallbackMethod") ?? "POST").ToUpperInvariant(),
            parameters);
        return new ConnectStreamVerb(Attr(e, "action"), Method(e), stream);
    }

    private static string? Attr(XElement e, string name)
    {
        var value = e.Attribute(name)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string Method(XElement e) => (Attr(e, "method") ?? "POST").ToUpperInvariant();

    private static int Loop(XElement e) => Int(e, "loop", 1);

    private static int Int(XElement e, string name, int fallback)
    {
        var value = Attr(e, name);
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new TwimlParseException($"<{e.Name.LocalName} {name}=\"{value}\"> is not a whole number.");
    }

    private static string NormalizeSpace(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
