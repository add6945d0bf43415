using Secr.Federation.Server.Hosting;

// `Secr.Federation.Server migrate [settings]`: apply the database migrations and exit (the production path for several nodes).
if (args is ["migrate", .. var settings])
{
    ServerBootstrap.Migrate(WebApplication.CreateBuilder(settings).Configuration);
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSecrFederation();

var app = builder.Build();
app.UseSecrFederation();
app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
