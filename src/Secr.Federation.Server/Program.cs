using Secr.Federation.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddSecrFederation();

var app = builder.Build();
app.UseSecrFederation();
app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
