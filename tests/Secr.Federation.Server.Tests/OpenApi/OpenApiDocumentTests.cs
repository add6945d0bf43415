using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Secr.Federation.Server.Tests.Harness;

namespace Secr.Federation.Server.Tests.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c> read and validated by Microsoft.OpenApi (the OpenAPI.NET reader and its default rule set),
/// and checked to describe, for every operation, what it answers on success and on refusal.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_is_valid_and_every_operation_describes_its_success_and_its_problems()
    {
        await using var server = new SecrServer();
        using var json = new MemoryStream(await server.CreateClient().GetByteArrayAsync("/openapi/v1.json"));

        var read = OpenApiDocument.Load(json, "json");

        Assert.Empty(read.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        var operations = read.Document!.Paths.SelectMany(path => path.Value.Operations!.Select(operation => (Name: $"{operation.Key} {path.Key}", Operation: operation.Value))).ToList();
        Assert.NotEmpty(operations);
        var undescribed = operations.Where(o => !DescribesSuccess(o.Operation) || !DescribesProblems(o.Operation)).Select(o => o.Name).ToList();
        Assert.True(undescribed.Count == 0, $"{undescribed.Count} of {operations.Count} operations do not describe both a success and a problem response: {string.Join(", ", undescribed)}");
    }

    /// <summary>A 2xx response; one that carries a body says what it is (204 and redirects have none).</summary>
    private static bool DescribesSuccess(OpenApiOperation operation) =>
        operation.Responses!.Any(r => r.Key.StartsWith('2') && (r.Key == "204" || r.Value.Content is { Count: > 0 }));

    /// <summary>A 4xx response whose body is an RFC 9457 problem document.</summary>
    private static bool DescribesProblems(OpenApiOperation operation) =>
        operation.Responses!.Any(r => r.Key.StartsWith('4') && r.Value.Content is { } content && content.ContainsKey("application/problem+json"));
}
