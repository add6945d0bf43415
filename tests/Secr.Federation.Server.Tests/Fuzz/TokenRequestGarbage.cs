using System.Text;
using Secr.Federation.Server.Tests.Harness;
using Secr.Federation.Server.TokenEndpoint;
using Secr.Federation.Core.Federation;
using Secr.Federation.Core.Identities.Agents;
using Secr.Federation.Core.Identities.MachineTokens;

namespace Secr.Federation.Server.Tests.Fuzz;

/// <summary>A credential a token request can carry: what it is, whether the server issued it (and will honour it), and how to make one (a fresh JWT each time, so replay protection does not refuse the second).</summary>
public sealed record FormCredential(string Name, bool Genuine, Func<string> Value);

/// <summary>
/// Garbage for the token endpoint's form body (RFC 6749 §4.1.3, RFC 8693 §2.1) with every grant type, the supported
/// ones (token exchange, the machine-token and agent-token grants) and ones this server does not offer: parameters
/// that are NULs, invalid UTF-8, of the wrong kind or far too long; forms that do not decode; bodies that are not forms.
/// </summary>
public sealed class TokenRequestGarbage(string path, FormCredential credential, Random random)
{
    public static readonly string[] GrantTypes =
    [
        OidcBindingKind.Grant, MachineTokenKind.Grant, AgentKind.Grant,
        "client_credentials", "password", "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "urn:ietf:params:oauth:grant-type:device_code", "", "urn:secr:params:oauth:grant-type:unknown",
    ];

    private static readonly (string Name, string[] Values)[] Parameters =
    [
        ("scope", ["binding:deploy", "secrets:read", "secrets:write", "binding:", "binding:" + new string('b', 5000), "openid offline_access", string.Join(" ", Enumerable.Repeat("secrets:read", 2000))]),
        ("expires_in", ["twelve", "-1", "0", "1e3", "86401", "99999999999999999999", " 60", "0x3c", ""]),
        ("subject_token_type", ["urn:ietf:params:oauth:token-type:access_token", "urn:ietf:params:oauth:token-type:jwt ", "", "jwt"]),
        ("requested_token_type", ["urn:ietf:params:oauth:token-type:refresh_token", "x"]),
        ("actor_token", ["a.b.c", "secr_mt_prod_x"]),
        ("resource", ["https://elsewhere.example", "not a uri"]),
        ("audience", ["https://elsewhere.example", ""]),
        ("client_id", ["secr", ""]),
        ("client_secret", ["secret"]),
        ("client_assertion_type", ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]),
    ];

    /// <summary>Every grant type with this credential, and each kind of garbage on a grant type drawn at random.</summary>
    public IEnumerable<FuzzCase> Cases()
    {
        foreach (var grant in GrantTypes)
        {
            yield return Form($"grant {Label(grant)}", Plausible(grant));
        }

        foreach (var (name, values) in Parameters)
        {
            var value = Pick(values);
            yield return Form($"{name}: {Shorten(value)}", Plausible(AnyGrant()) + $"&{name}={Uri.EscapeDataString(value)}");
        }

        var parameter = Pick(["grant_type", "subject_token", "token", "scope", "expires_in", "subject_token_type"]);
        yield return Form($"{parameter}: NUL", Replace(Plausible(AnyGrant()), parameter, Pick(["%00", "a%00b"])));
        yield return Form($"{parameter}: invalid UTF-8", Replace(Plausible(AnyGrant()), parameter, Pick(["%FF%FE", "%C0%AF", "%ED%A0%80"])));
        yield return Form($"{parameter}: control characters", Replace(Plausible(AnyGrant()), parameter, "%01%1B%7F%0D%0A"));
        yield return Form($"{parameter}: repeated", Plausible(AnyGrant()) + $"&{parameter}=again");
        yield return Form($"{parameter}: empty", Replace(Plausible(AnyGrant()), parameter, ""));
        yield return Form("credential: 16 KiB and one byte", Replace(Plausible(AnyGrant()), "subject_token", new string('a', 16 * 1024 + 1)));
        yield return Form("form: raw NUL byte", Plausible(AnyGrant()), raw: [0x00]);
        yield return Form("form: raw invalid UTF-8", Plausible(AnyGrant()), raw: Pick<byte[]>([[0xFF, 0xFE], [0xC0, 0xAF]]));
        yield return Form("form: malformed encoding", Plausible(AnyGrant()) + "&%ZZ=%&&&==&token=%");
        yield return Form("form: 5,000 parameters", Plausible(AnyGrant()) + string.Concat(Enumerable.Range(0, 5000).Select(i => $"&p{i}=1")));
        yield return Form("form: 5,000-character parameter name", Plausible(AnyGrant()) + $"&{new string('k', 5000)}=v");
        yield return new FuzzCase("form: over the size limit", "POST", path, FuzzBody.Form(Plausible(AnyGrant()) + "&pad=" + new string('x', (int)TokenRequestSizeLimit.MaxBodyBytes)), 413);
        yield return new FuzzCase("body: JSON instead of a form", "POST", path, FuzzBody.Json($"{{\"grant_type\":\"{MachineTokenKind.Grant}\",\"token\":\"{credential.Value()}\"}}"));
        yield return new FuzzCase("body: form without its content type", "POST", path, new FuzzBody(Encoding.ASCII.GetBytes(Plausible(AnyGrant())), null));
        yield return new FuzzCase("body: multipart", "POST", path, new FuzzBody(Encoding.ASCII.GetBytes($"--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\n{MachineTokenKind.Grant}\r\n--x--\r\n"), "multipart/form-data; boundary=x"));
        yield return new FuzzCase("body: empty", "POST", path, FuzzBody.Form(""));
        yield return new FuzzCase("method: GET with the form as query", "GET", path + "?" + Plausible(AnyGrant()));
    }

    /// <summary>A well-formed request of the grant, carrying the credential where the grant takes it.</summary>
    private string Plausible(string grant)
    {
        var value = Uri.EscapeDataString(credential.Value());
        return grant == OidcBindingKind.Grant
            ? $"grant_type={Uri.EscapeDataString(grant)}&subject_token={value}&subject_token_type={Uri.EscapeDataString(SecrServer.JwtTokenType)}"
            : $"grant_type={Uri.EscapeDataString(grant)}&token={value}";
    }

    private string AnyGrant() => GrantTypes[random.Next(3)];

    /// <summary>The form with <paramref name="name"/>'s value replaced by <paramref name="encoded"/> (added when the form lacks it).</summary>
    private static string Replace(string form, string name, string encoded)
    {
        var pairs = form.Split('&').Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal));
        return string.Join("&", pairs.Append($"{name}={encoded}"));
    }

    private FuzzCase Form(string kind, string form, byte[]? raw = null)
    {
        var bytes = Encoding.ASCII.GetBytes(form);
        if (raw is not null)
        {
            var at = random.Next(bytes.Length);
            bytes = [.. bytes[..at], .. raw, .. bytes[at..]];
        }

        return new FuzzCase(kind, "POST", path, new FuzzBody(bytes, "application/x-www-form-urlencoded"));
    }

    private static string Label(string grant) => grant.Length == 0 ? "(empty)" : grant;

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
