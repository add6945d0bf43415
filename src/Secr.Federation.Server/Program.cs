using Secr.Federation.Server.Hosting;

// `Secr.Federation.Server migrate [settings]`: apply the database migrations and exit (the production path for several nodes).
if (args is ["migrate", .. var settings])
{
    ServerBootstrap.Migrate(WebApplication.CreateBuilder(settings).Configuration);
    return 0;
}

// `Secr.Federation.Server recover-admin --email EMAIL [settings]`: on the server host, when no admin can sign in.
if (args is [AdminRecovery.Command, ..])
{
    return await AdminRecovery.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSecrFederation();

var app = builder.Build();
app.UseSecrFederation();
app.Run();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
