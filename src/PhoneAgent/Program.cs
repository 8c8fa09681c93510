using PhoneAgent;
using PhoneAgent.Hosting;

if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync(args, Console.Out, Console.Error);
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
