using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Secr.Federation.Server.Tests.Secrets;

/// <summary>An alert receiver on loopback that records the bodies POSTed to it.</summary>
public sealed class FakeWebhook : IDisposable
{
    private readonly WireMockServer _server;

    private FakeWebhook(WireMockServer server) => _server = server;

    public string Url => _server.Urls[0] + "/alerts";

    public IReadOnlyList<string> Bodies => _server.LogEntries.Where(e => e.RequestMessage?.Path == "/alerts").Select(e => e.RequestMessage!.Body ?? "").ToList();

    public static FakeWebhook Start()
    {
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        server.Given(Request.Create().WithPath("/alerts").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        return new FakeWebhook(server);
    }

    public void Dispose() => _server.Dispose();
}
