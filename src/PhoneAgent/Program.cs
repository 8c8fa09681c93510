using PhoneAgent;
using PhoneAgent.Data;
using PhoneAgent.Hosting;

if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync(args, Console.Out, Console.Error);
}

// `data …` admin commands (deletion on request, purge, migrate) run instead of the web host.
if (DataCommands.IsDataCommand(args))
{
    return await DataCommands.RunAsync(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseDefaultListenAddress(builder.Configuration);
builder.Services.AddPhoneAgent();
builder.Services.AddPhoneAgentObservability(builder.Configuration);

var app = builder.Build();
app.MapPhoneAgentEndpoints();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
