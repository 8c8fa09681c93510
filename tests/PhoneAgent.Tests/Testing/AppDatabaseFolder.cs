namespace PhoneAgent.Tests.Testing;

/// <summary>
/// A temporary folder for one test app's SQLite database (<c>ConnectionStrings:PhoneAgent</c>), so test apps never
/// share call records with each other or write into the source tree.
/// </summary>
public sealed class AppDatabaseFolder
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "phoneagent-app-" + Guid.NewGuid().ToString("N"))).FullName;

    public string ConnectionString => $"Data Source={System.IO.Path.Combine(Path, "phoneagent.db")}";

    public void Delete()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted already (Dispose after DisposeAsync).
        }
        catch (IOException)
        {
            // Still open somewhere; the OS cleans temp.
        }
    }
}
