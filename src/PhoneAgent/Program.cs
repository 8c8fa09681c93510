using PhoneAgent;
using PhoneAgent.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseDefaultListenAddress(builder.Configuration);
builder.Services.AddPhoneAgent();

var app = builder.Build();
app.MapPhoneAgentEndpoints();
app.Run();

/// <summary>Entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
