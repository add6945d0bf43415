using System.Security.Cryptography;
using System.Text;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Secr.Federation.Server.Tests.Leaks;

/// <summary>
/// GitHub's side of the secret-scanning partner protocol: the public keys document (WireMock, in GitHub's shape) and
/// the signing of reports with the private half of a published key, as GitHub signs them (DER ECDSA P-256 / SHA-256).
/// </summary>
public sealed class FakeSecretScanning : IDisposable
{
    public const string KeyId = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";
    public const string KeysPath = "/meta/public_keys/secret_scanning";

    private readonly WireMockServer _server;

    private FakeSecretScanning(WireMockServer server, ECDsa key)
    {
        _server = server;
        Key = key;
    }

    /// <summary>The published key's private half, which only GitHub holds.</summary>
    public ECDsa Key { get; }

    public string KeysUrl => _server.Urls[0] + KeysPath;

    public int KeyFetches => _server.LogEntries.Count(e => e.RequestMessage?.Path == KeysPath);

    public static FakeSecretScanning Start()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        var fake = new FakeSecretScanning(server, key);
        fake.Publish((KeyId, key));
        return fake;
    }

    /// <summary>Serves these keys from now on (GitHub's <c>public_keys</c> document); the first is current.</summary>
    public void Publish(params (string Id, ECDsa Key)[] keys)
    {
        var entries = keys.Select((k, i) => $$"""{"key_identifier":"{{k.Id}}","key":"{{k.Key.ExportSubjectPublicKeyInfoPem().ReplaceLineEndings("\\n")}}","is_current":{{(i == 0 ? "true" : "false")}}}""");
        _server.ResetMappings();
        _server.Given(Request.Create().WithPath(KeysPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($$"""{"public_keys":[{{string.Join(",", entries)}}]}"""));
    }

    /// <summary>The key document cannot be fetched (GitHub's API is down).</summary>
    public void Fail()
    {
        _server.ResetMappings();
        _server.Given(Request.Create().WithPath(KeysPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(502));
    }

    /// <summary>A report as GitHub sends it: the JSON array of found tokens.</summary>
    public static string Report(params (string Token, string Url)[] found) =>
        "[" + string.Join(",", found.Select(f => $$"""{"token":"{{f.Token}}","type":"secr_machine_token","url":"{{f.Url}}","source":"commit"}""")) + "]";

    /// <summary>POSTs <paramref name="body"/> to the partner endpoint, signed by <paramref name="signer"/> (default: the published key) as <paramref name="keyId"/>.</summary>
    public static HttpRequestMessage Signed(string body, ECDsa signer, string keyId = KeyId)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = Unsigned(body);
        request.Headers.Add("Github-Public-Key-Identifier", keyId);
        request.Headers.Add("Github-Public-Key-Signature", Convert.ToBase64String(signer.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        return request;
    }

    public static HttpRequestMessage Unsigned(string body) =>
        new(HttpMethod.Post, "/secret-scanning/github") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public void Dispose()
    {
        _server.Dispose();
        Key.Dispose();
    }
}
