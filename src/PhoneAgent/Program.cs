using PhoneAgent;
using PhoneAgent.Data;
using PhoneAgent.Hosting;

// `data …` admin commands (deletion on request, purge, migrate) run instead of the web host.
if (DataCommands.IsDataCommand(args))
{
    Environment.ExitCode = await DataCommands.RunAsync(args, Console.Out);
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseDefaultListenAddress(builder.Configuration);
builder.Services.AddPhoneAgent();

var app = builder.Build();
app.MapPhoneAgentEndpoints();
app.Run();

/// <summary>Entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
