namespace PhoneAgent.Hosting;

/// <summary>Where the listening address came from, in the order <see cref="ListenAddressResolver"/> checks them.</summary>
internal enum ListenAddressSource
{
    /// <summary><c>Kestrel:Endpoints</c> is configured; Kestrel uses it and ignores every other setting.</summary>
    KestrelEndpoints,

    /// <summary><c>urls</c>: <c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>DOTNET_URLS</c> or <c>urls</c> in configuration.</summary>
    Urls,

    /// <summary><c>PORT</c>, as Cloud Run sets it: listen on every interface on that port.</summary>
    Port,

    /// <summary><c>http_ports</c>/<c>https_ports</c>: <c>ASPNETCORE_HTTP_PORTS</c>, <c>ASPNETCORE_HTTPS_PORTS</c>.</summary>
    HttpPorts,

    /// <summary>Nothing configured: loopback only, on the development port.</summary>
    Default,
}
