using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>
/// Builds the emulator's Kestrel host from nothing but its options: no appsettings, no environment variables, no
/// console lifetime, so hosting it inside another application (PhoneAgent) cannot pick up that application's settings.
/// </summary>
internal static class EmulatorApp
{
    public static WebApplication Build(EmulatorOptions options, EmulatorRuntime runtime)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.Services.AddLogging();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new QuietFrameworkLoggerFactory(options.LoggerFactory)));
        builder.Services.AddSingleton<IHostLifetime, EmulatorHostLifetime>();
        builder.Services.AddRouting();
        builder.Services.AddSingleton(runtime);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        app.UseMiddleware<PathNormalizationMiddleware>();
        app.UseRouting();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapGeminiLiveEndpoints();
        return app;
    }
}
