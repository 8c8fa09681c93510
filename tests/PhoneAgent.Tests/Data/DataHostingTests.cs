using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Calls;
using PhoneAgent.Data;
using PhoneAgent.Support;
using PhoneAgent.Tests.Data.Testing;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Data;

/// <summary>The database in the running service: registration, migration and seeding at start, settings validation, the admin commands and the sweep.</summary>
public sealed class DataHostingTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_service_starts_on_a_migrated_seeded_sqlite_file_and_keeps_calls_in_it()
    {
        await using var app = new PhoneAgentFactory();
        app.Start();

        Assert.IsType<SqlCallStore>(app.Services.GetRequiredService<ICallStore>());
        Assert.True(File.Exists(Path.Combine(app.Data.Path, "phoneagent.db")));
        var ada = await app.Services.GetRequiredService<ICustomerDirectory>().FindByIdAsync("C-1001", default); // Development seeds
        Assert.Equal("Ada Lovelace", ada!.Name);
        Assert.Contains(app.Logs.Entries, e => e.EventId.Name == "DatabaseReady");
    }

    [Fact]
    public async Task Without_seeding_the_demo_customers_are_absent()
    {
        await using var app = new PhoneAgentFactory(new Dictionary<string, string?> { ["Database:SeedDemoData"] = "false" });
        app.Start();

        Assert.Null(await app.Services.GetRequiredService<ICustomerDirectory>().FindByIdAsync("C-1001", default));
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_stops_the_start_naming_the_key()
    {
        await using var app = new PhoneAgentFactory(new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:PhoneAgent"] = "" });

        var error = Assert.Throws<OptionsValidationException>(app.Start);

        Assert.Contains("ConnectionStrings:PhoneAgent is required when Database:Provider=Postgres", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RetentionPeriod", "-1.00:00:00", "Database:RetentionPeriod")]
    [InlineData("RetentionSweepInterval", "00:00:00", "Database:RetentionSweepInterval")]
    [InlineData("SqliteBusyTimeout", "01:00:00", "Database:SqliteBusyTimeout")]
    public void Each_bad_setting_is_named(string property, string value, string key)
    {
        var options = new DatabaseOptions();
        typeof(DatabaseOptions).GetProperty(property)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        var result = new DatabaseOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions()).Succeeded);
    }

    [Fact]
    public async Task The_data_commands_delete_by_call_by_phone_and_by_age()
    {
        var connection = $"--ConnectionStrings:PhoneAgent=Data Source={Path.Combine(_folder.Path, "admin.db")}";
        var output = new StringWriter();
        Assert.Equal(0, await DataCommands.RunAsync(["data", "migrate", connection], output));

        await using var database = new SqliteDatabase($"Data Source={Path.Combine(_folder.Path, "admin.db")}", _folder.Path, TimeSpan.FromSeconds(5));
        var calls = new SqlCallStore(database);
        var old = DateTimeOffset.UtcNow.AddDays(-30);
        await calls.GetOrCreateAsync(new NewCall("CA-one", "AC1", "+14155550101", "+15005550000", "p", DateTimeOffset.UtcNow), default);
        await calls.GetOrCreateAsync(new NewCall("CA-two", "AC1", "+12125550102", "+15005550000", "p", DateTimeOffset.UtcNow), default);
        await calls.GetOrCreateAsync(new NewCall("CA-old", "AC1", "+13125550104", "+15005550000", "p", old), default);

        Assert.Equal(0, await DataCommands.RunAsync(["data", "delete-call", "CA-one", connection], output));
        Assert.Equal(0, await DataCommands.RunAsync(["data", "delete-phone", "+12125550102", connection], output));
        Assert.Equal(2, await DataCommands.RunAsync(["data", "purge", connection], output)); // no period configured or given
        Assert.Equal(0, await DataCommands.RunAsync(["data", "purge", connection, "--Database:RetentionPeriod=7.00:00:00"], output));
        Assert.Equal(2, await DataCommands.RunAsync(["data", "frobnicate", connection], output));

        Assert.Null(await calls.FindAsync("CA-one", default));
        Assert.Null(await calls.FindAsync("CA-two", default));
        Assert.Null(await calls.FindAsync("CA-old", default));
        var text = output.ToString();
        Assert.Contains("deleted 1 row(s) of call CA-one", text, StringComparison.Ordinal);
        Assert.Contains("deleted 1 row(s) for …0102", text, StringComparison.Ordinal);
        Assert.DoesNotContain("+12125550102", text, StringComparison.Ordinal); // no full number on the console either
        Assert.Contains("Database:RetentionPeriod is not set", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sweep_deletes_calls_past_the_retention_period_on_its_interval()
    {
        var time = new FakeTimeProvider(Now);
        await using var database = await TestDatabases.SqliteAsync(_folder.Path, time);
        var calls = new SqlCallStore(database);
        await calls.GetOrCreateAsync(new NewCall("CA-old", "AC1", null, null, "p", Now.AddDays(-2)), default);
        await calls.GetOrCreateAsync(new NewCall("CA-new", "AC1", null, null, "p", Now.AddHours(-1)), default);
        var options = Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { RetentionPeriod = TimeSpan.FromDays(1), RetentionSweepInterval = TimeSpan.FromHours(1) });
        using var sweep = new RetentionSweep(new SqlDataRetention(database), options, time, NullLogger<RetentionSweep>.Instance);

        await sweep.StartAsync(default);
        Assert.NotNull(await calls.FindAsync("CA-old", default)); // nothing before the first interval

        // ExecuteAsync runs in the background (.NET 10), so its timer may start after StartAsync returns: tick
        // hour by hour until the sweep ran, well within the day that keeps CA-new.
        for (var hours = 0; hours < 10 && await calls.FindAsync("CA-old", default) is not null; hours++)
        {
            time.Advance(TimeSpan.FromHours(1));
            for (var wait = 0; wait < 50 && await calls.FindAsync("CA-old", default) is not null; wait++)
            {
                await Task.Delay(20);
            }
        }

        Assert.Null(await calls.FindAsync("CA-old", default));
        Assert.NotNull(await calls.FindAsync("CA-new", default));
        await sweep.StopAsync(default);
    }
}
